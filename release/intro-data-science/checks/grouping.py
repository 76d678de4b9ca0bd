"""Practice checks for unit grouping (Grouping and summarising): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="grouping")


@checks.question(
    "group-aggregate-placeholder",
    objective="group-aggregate",
    hints=["Return the parameter itself."],
)
def group_aggregate_placeholder(ns):
    if ns["echo_group_aggregate"](3) != 3:
        fail("`echo_group_aggregate(3)` should return 3")


@checks.question(
    "group-several-placeholder",
    objective="group-several",
    hints=["Return the parameter itself."],
)
def group_several_placeholder(ns):
    if ns["echo_group_several"](3) != 3:
        fail("`echo_group_several(3)` should return 3")


@checks.question(
    "compare-groups-placeholder",
    objective="compare-groups",
    hints=["Return the parameter itself."],
)
def compare_groups_placeholder(ns):
    if ns["echo_compare_groups"](3) != 3:
        fail("`echo_compare_groups(3)` should return 3")
