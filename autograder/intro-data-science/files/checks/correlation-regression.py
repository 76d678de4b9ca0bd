"""Practice checks for unit correlation-regression (Correlation and a first regression): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="correlation-regression")


@checks.question(
    "read-correlation-placeholder",
    objective="read-correlation",
    hints=["Return the parameter itself."],
)
def read_correlation_placeholder(ns):
    if ns["echo_read_correlation"](3) != 3:
        fail("`echo_read_correlation(3)` should return 3")


@checks.question(
    "fit-line-placeholder",
    objective="fit-line",
    hints=["Return the parameter itself."],
)
def fit_line_placeholder(ns):
    if ns["echo_fit_line"](3) != 3:
        fail("`echo_fit_line(3)` should return 3")


@checks.question(
    "interpret-regression-placeholder",
    objective="interpret-regression",
    hints=["Return the parameter itself."],
)
def interpret_regression_placeholder(ns):
    if ns["echo_interpret_regression"](3) != 3:
        fail("`echo_interpret_regression(3)` should return 3")
