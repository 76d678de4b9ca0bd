"""Practice checks for unit cleaning (Cleaning data): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="cleaning")


@checks.question(
    "fix-types-placeholder",
    objective="fix-types",
    hints=["Return the parameter itself."],
)
def fix_types_placeholder(ns):
    if ns["echo_fix_types"](3) != 3:
        fail("`echo_fix_types(3)` should return 3")


@checks.question(
    "clean-text-placeholder",
    objective="clean-text",
    hints=["Return the parameter itself."],
)
def clean_text_placeholder(ns):
    if ns["echo_clean_text"](3) != 3:
        fail("`echo_clean_text(3)` should return 3")


@checks.question(
    "parse-dates-placeholder",
    objective="parse-dates",
    hints=["Return the parameter itself."],
)
def parse_dates_placeholder(ns):
    if ns["echo_parse_dates"](3) != 3:
        fail("`echo_parse_dates(3)` should return 3")


@checks.question(
    "handle-missing-placeholder",
    objective="handle-missing",
    hints=["Return the parameter itself."],
)
def handle_missing_placeholder(ns):
    if ns["echo_handle_missing"](3) != 3:
        fail("`echo_handle_missing(3)` should return 3")
