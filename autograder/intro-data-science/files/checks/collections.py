"""Practice checks for unit collections (Lists, dicts, tuples and sets): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="collections")


@checks.question(
    "index-slice-lists-placeholder",
    objective="index-slice-lists",
    hints=["Return the parameter itself."],
)
def index_slice_lists_placeholder(ns):
    if ns["echo_index_slice_lists"](3) != 3:
        fail("`echo_index_slice_lists(3)` should return 3")


@checks.question(
    "use-dicts-placeholder",
    objective="use-dicts",
    hints=["Return the parameter itself."],
)
def use_dicts_placeholder(ns):
    if ns["echo_use_dicts"](3) != 3:
        fail("`echo_use_dicts(3)` should return 3")


@checks.question(
    "tuples-and-sets-placeholder",
    objective="tuples-and-sets",
    hints=["Return the parameter itself."],
)
def tuples_and_sets_placeholder(ns):
    if ns["echo_tuples_and_sets"](3) != 3:
        fail("`echo_tuples_and_sets(3)` should return 3")
