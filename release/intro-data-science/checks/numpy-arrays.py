"""Practice checks for unit numpy-arrays (NumPy arrays): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="numpy-arrays")


@checks.question(
    "vectorised-arithmetic-placeholder",
    objective="vectorised-arithmetic",
    hints=["Return the parameter itself."],
)
def vectorised_arithmetic_placeholder(ns):
    if ns["echo_vectorised_arithmetic"](3) != 3:
        fail("`echo_vectorised_arithmetic(3)` should return 3")


@checks.question(
    "boolean-masks-placeholder",
    objective="boolean-masks",
    hints=["Return the parameter itself."],
)
def boolean_masks_placeholder(ns):
    if ns["echo_boolean_masks"](3) != 3:
        fail("`echo_boolean_masks(3)` should return 3")


@checks.question(
    "aggregate-axes-placeholder",
    objective="aggregate-axes",
    hints=["Return the parameter itself."],
)
def aggregate_axes_placeholder(ns):
    if ns["echo_aggregate_axes"](3) != 3:
        fail("`echo_aggregate_axes(3)` should return 3")
