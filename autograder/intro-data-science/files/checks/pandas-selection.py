"""Practice checks for unit pandas-selection (Selecting data with pandas): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="pandas-selection")


@checks.question(
    "load-inspect-placeholder",
    objective="load-inspect",
    hints=["Return the parameter itself."],
)
def load_inspect_placeholder(ns):
    if ns["echo_load_inspect"](3) != 3:
        fail("`echo_load_inspect(3)` should return 3")


@checks.question(
    "select-loc-iloc-placeholder",
    objective="select-loc-iloc",
    hints=["Return the parameter itself."],
)
def select_loc_iloc_placeholder(ns):
    if ns["echo_select_loc_iloc"](3) != 3:
        fail("`echo_select_loc_iloc(3)` should return 3")


@checks.question(
    "filter-sort-placeholder",
    objective="filter-sort",
    hints=["Return the parameter itself."],
)
def filter_sort_placeholder(ns):
    if ns["echo_filter_sort"](3) != 3:
        fail("`echo_filter_sort(3)` should return 3")
