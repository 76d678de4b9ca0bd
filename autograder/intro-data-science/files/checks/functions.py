"""Practice checks for unit functions (Functions and for loops): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="functions")


@checks.question(
    "define-functions-placeholder",
    objective="define-functions",
    hints=["Return the parameter itself."],
)
def define_functions_placeholder(ns):
    if ns["echo_define_functions"](3) != 3:
        fail("`echo_define_functions(3)` should return 3")


@checks.question(
    "default-arguments-placeholder",
    objective="default-arguments",
    hints=["Return the parameter itself."],
)
def default_arguments_placeholder(ns):
    if ns["echo_default_arguments"](3) != 3:
        fail("`echo_default_arguments(3)` should return 3")


@checks.question(
    "loop-accumulate-placeholder",
    objective="loop-accumulate",
    hints=["Return the parameter itself."],
)
def loop_accumulate_placeholder(ns):
    if ns["echo_loop_accumulate"](3) != 3:
        fail("`echo_loop_accumulate(3)` should return 3")
