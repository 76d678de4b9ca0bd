"""Practice checks for unit joining-reshaping (Joining and reshaping tables): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="joining-reshaping")


@checks.question(
    "merge-tables-placeholder",
    objective="merge-tables",
    hints=["Return the parameter itself."],
)
def merge_tables_placeholder(ns):
    if ns["echo_merge_tables"](3) != 3:
        fail("`echo_merge_tables(3)` should return 3")


@checks.question(
    "concatenate-placeholder",
    objective="concatenate",
    hints=["Return the parameter itself."],
)
def concatenate_placeholder(ns):
    if ns["echo_concatenate"](3) != 3:
        fail("`echo_concatenate(3)` should return 3")


@checks.question(
    "reshape-tables-placeholder",
    objective="reshape-tables",
    hints=["Return the parameter itself."],
)
def reshape_tables_placeholder(ns):
    if ns["echo_reshape_tables"](3) != 3:
        fail("`echo_reshape_tables(3)` should return 3")
