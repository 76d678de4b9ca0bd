"""Practice checks for unit project (Project: an end-to-end analysis): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="project")


@checks.question(
    "prepare-data-placeholder",
    objective="prepare-data",
    hints=["Return the parameter itself."],
)
def prepare_data_placeholder(ns):
    if ns["echo_prepare_data"](3) != 3:
        fail("`echo_prepare_data(3)` should return 3")


@checks.question(
    "summarise-and-plot-placeholder",
    objective="summarise-and-plot",
    hints=["Return the parameter itself."],
)
def summarise_and_plot_placeholder(ns):
    if ns["echo_summarise_and_plot"](3) != 3:
        fail("`echo_summarise_and_plot(3)` should return 3")


@checks.question(
    "interpret-results-placeholder",
    objective="interpret-results",
    hints=["Return the parameter itself."],
)
def interpret_results_placeholder(ns):
    if ns["echo_interpret_results"](3) != 3:
        fail("`echo_interpret_results(3)` should return 3")
