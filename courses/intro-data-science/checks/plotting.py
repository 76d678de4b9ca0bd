"""Practice checks for unit plotting (Plotting to answer a question): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="plotting")


@checks.question(
    "bar-line-charts-placeholder",
    objective="bar-line-charts",
    hints=["Return the parameter itself."],
)
def bar_line_charts_placeholder(ns):
    if ns["echo_bar_line_charts"](3) != 3:
        fail("`echo_bar_line_charts(3)` should return 3")


@checks.question(
    "plot-distributions-placeholder",
    objective="plot-distributions",
    hints=["Return the parameter itself."],
)
def plot_distributions_placeholder(ns):
    if ns["echo_plot_distributions"](3) != 3:
        fail("`echo_plot_distributions(3)` should return 3")


@checks.question(
    "scatter-plots-placeholder",
    objective="scatter-plots",
    hints=["Return the parameter itself."],
)
def scatter_plots_placeholder(ns):
    if ns["echo_scatter_plots"](3) != 3:
        fail("`echo_scatter_plots(3)` should return 3")


@checks.question(
    "choose-plot-placeholder",
    objective="choose-plot",
    hints=["Return the parameter itself."],
)
def choose_plot_placeholder(ns):
    if ns["echo_choose_plot"](3) != 3:
        fail("`echo_choose_plot(3)` should return 3")
