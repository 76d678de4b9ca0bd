"""Practice checks for unit loops-and-errors (While loops and errors): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="loops-and-errors")


@checks.question(
    "while-loops-placeholder",
    objective="while-loops",
    hints=["Return the parameter itself."],
)
def while_loops_placeholder(ns):
    if ns["echo_while_loops"](3) != 3:
        fail("`echo_while_loops(3)` should return 3")


@checks.question(
    "handle-exceptions-placeholder",
    objective="handle-exceptions",
    hints=["Return the parameter itself."],
)
def handle_exceptions_placeholder(ns):
    if ns["echo_handle_exceptions"](3) != 3:
        fail("`echo_handle_exceptions(3)` should return 3")


@checks.question(
    "read-tracebacks-placeholder",
    objective="read-tracebacks",
    hints=["Return the parameter itself."],
)
def read_tracebacks_placeholder(ns):
    if ns["echo_read_tracebacks"](3) != 3:
        fail("`echo_read_tracebacks(3)` should return 3")
