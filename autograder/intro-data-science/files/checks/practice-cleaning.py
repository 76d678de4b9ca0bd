"""Checked practice of the correctives and challenges of unit cleaning.

Used by ``resources/cleaning/*.ipynb`` (``load_checks("practice-cleaning")``).
Practice only: nothing here is graded, and worked solutions (whole functions, so the
content tests can run them) open after a few checks.
"""

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-cleaning")

AFTER_TWO = "after_attempts:2"


def _run(fn, name, data, *args):
    copy = data.copy()
    got = fn(copy, *args)
    call = f"{name}({', '.join(['data', *map(repr, args)])})"
    if not copy.equals(data):
        fail(f"`{call}` changed its input; work on a copy instead")
    if got is None:
        fail(f"`{call}` returned None: replace `None` with your computation")
    return got, call


def _same(got, call, expected):
    """Compare a Series's values with ``expected`` (None for missing)."""
    if not isinstance(got, pd.Series):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a Series")
    values = [None if pd.isna(v) else v for v in got.tolist()]
    if values != expected:
        fail(f"`{call}` returned {values}, not {expected}")


@checks.question(
    "ages-as-numbers",
    objective="fix-types",
    hints=["`pd.to_numeric(values, errors=\"coerce\")`"],
    solution=(
        "import pandas as pd\n\n\ndef ages_as_numbers(values):\n"
        "    return pd.to_numeric(values, errors=\"coerce\")"
    ),
    show_solution=AFTER_TWO,
)
def ages_as_numbers(ns):
    got, call = _run(ns["ages_as_numbers"], "ages_as_numbers", pd.Series(["19", "?", "63", ""]))
    _same(got, call, [19, None, 63, None])


@checks.question(
    "paid-flags",
    objective="fix-types",
    hints=["`values == \"y\"`"],
    solution="def paid_flags(values):\n    return values == \"y\"",
    show_solution=AFTER_TWO,
)
def paid_flags(ns):
    got, call = _run(ns["paid_flags"], "paid_flags", pd.Series(["n", "y", "n"]))
    _same(got, call, [False, True, False])
    if got.dtype != bool:
        fail(f"`{call}` has the type {got.dtype}; it should be bool")


@checks.question(
    "price-to-number",
    objective="fix-types",
    hints=[
        "`values.str.replace(r\"[^0-9.]\", \"\", regex=True)` keeps digits and dots.",
        "Then `pd.to_numeric(..., errors=\"coerce\")`: an empty text becomes NaN.",
    ],
    solution=(
        "import pandas as pd\n\n\ndef price_to_number(values):\n"
        "    digits = values.str.replace(r\"[^0-9.]\", \"\", regex=True)\n"
        "    return pd.to_numeric(digits, errors=\"coerce\")"
    ),
    show_solution=AFTER_TWO,
)
def price_to_number(ns):
    values = pd.Series(["€1,250.00", "980 EUR", " 12.5", "free"])
    got, call = _run(ns["price_to_number"], "price_to_number", values)
    _same(got, call, [1250.0, 980.0, 12.5, None])


@checks.question(
    "tidy-cities",
    objective="clean-text",
    hints=["`values.str.strip().str.title()`"],
    solution="def tidy_cities(values):\n    return values.str.strip().str.title()",
    show_solution=AFTER_TWO,
)
def tidy_cities(ns):
    got, call = _run(ns["tidy_cities"], "tidy_cities", pd.Series([" rio de janeiro", "CAIRO "]))
    _same(got, call, ["Rio De Janeiro", "Cairo"])


@checks.question(
    "domain-of",
    objective="clean-text",
    hints=["`emails.str.split(\"@\").str[1]`", "then `.str.strip().str.lower()`"],
    solution="def domain_of(emails):\n    return emails.str.split(\"@\").str[1].str.strip().str.lower()",
    show_solution=AFTER_TWO,
)
def domain_of(ns):
    got, call = _run(ns["domain_of"], "domain_of", pd.Series(["kim@Mail.COM ", "lu@school.ac.uk"]))
    _same(got, call, ["mail.com", "school.ac.uk"])


@checks.question(
    "canonical-names",
    objective="clean-text",
    hints=[
        "`first = values.str.strip().str.lower().str.split().str[0]`",
        "`lookup = {name.lower(): name for name in known}`; then `first.map(lookup)`.",
    ],
    solution=(
        "def canonical_names(values, known):\n"
        "    first = values.str.strip().str.lower().str.split().str[0]\n"
        "    lookup = {name.lower(): name for name in known}\n    return first.map(lookup)"
    ),
    show_solution=AFTER_TWO,
)
def canonical_names(ns):
    values = pd.Series([" robin", "ROBIN (European)", "wren ", "Starling bird", "sparrow"])
    got, call = _run(ns["canonical_names"], "canonical_names", values, ["Robin", "Wren", "Starling"])
    _same(got, call, ["Robin", "Robin", "Wren", "Starling", None])


@checks.question(
    "weekday-names",
    objective="parse-dates",
    hints=["`pd.to_datetime(texts).dt.day_name()`"],
    solution=(
        "import pandas as pd\n\n\ndef weekday_names(texts):\n"
        "    return pd.to_datetime(texts).dt.day_name()"
    ),
    show_solution=AFTER_TWO,
)
def weekday_names(ns):
    got, call = _run(ns["weekday_names"], "weekday_names", pd.Series(["2024-02-29", "2000-01-01"]))
    _same(got, call, ["Thursday", "Saturday"])


@checks.question(
    "age-in-days",
    objective="parse-dates",
    hints=["`(pd.Timestamp(today) - pd.to_datetime(births)).dt.days`"],
    solution=(
        "import pandas as pd\n\n\ndef age_in_days(births, today):\n"
        "    return (pd.Timestamp(today) - pd.to_datetime(births)).dt.days"
    ),
    show_solution=AFTER_TWO,
)
def age_in_days(ns):
    births = pd.Series(["2024-01-01", "2023-12-25"])
    got, call = _run(ns["age_in_days"], "age_in_days", births, "2024-01-31")
    _same(got, call, [30, 37])


@checks.question(
    "gaps-between",
    objective="parse-dates",
    hints=[
        "`dates = pd.to_datetime(texts).sort_values()`",
        "`dates.diff().dt.days.dropna().astype(int).tolist()`",
    ],
    solution=(
        "import pandas as pd\n\n\ndef gaps_between(texts):\n"
        "    dates = pd.to_datetime(texts).sort_values()\n"
        "    return dates.diff().dt.days.dropna().astype(int).tolist()"
    ),
    show_solution=AFTER_TWO,
)
def gaps_between(ns):
    got, call = _run(
        ns["gaps_between"], "gaps_between", pd.Series(["2024-03-10", "2024-03-01", "2024-03-04"])
    )
    if list(got) != [3, 6]:
        fail(f"`{call}` returned {got!r}, not [3, 6]")
    got, call = _run(ns["gaps_between"], "gaps_between", pd.Series(["2023-12-30", "2024-01-02"]))
    if list(got) != [3]:
        fail(f"`{call}` returned {got!r}, not [3]")


@checks.question(
    "percent-missing",
    objective="handle-missing",
    hints=["`df.isna().mean()` is the share missing per column.", "`(... * 100).round(1).to_dict()`"],
    solution="def percent_missing(df):\n    return (df.isna().mean() * 100).round(1).to_dict()",
    show_solution=AFTER_TWO,
)
def percent_missing(ns):
    frame = pd.DataFrame({"a": [1.0, None, None], "b": ["x", "y", "z"]})
    got, call = _run(ns["percent_missing"], "percent_missing", frame)
    if got != {"a": 66.7, "b": 0.0}:
        fail(f"`{call}` returned {got!r}, not {{'a': 66.7, 'b': 0.0}}")


@checks.question(
    "with-missing-flag",
    objective="handle-missing",
    hints=["`result = df.copy()`", "`result[column + \"_missing\"] = result[column].isna()`"],
    solution=(
        "def with_missing_flag(df, column):\n    result = df.copy()\n"
        "    result[column + \"_missing\"] = result[column].isna()\n    return result"
    ),
    show_solution=AFTER_TWO,
)
def with_missing_flag(ns):
    frame = pd.DataFrame({"score": [3.0, None], "name": ["p", "q"]})
    got, call = _run(ns["with_missing_flag"], "with_missing_flag", frame, "score")
    if not isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a DataFrame")
    if list(got.columns) != ["score", "name", "score_missing"]:
        fail(f"`{call}` has the columns {list(got.columns)}")
    if got["score_missing"].tolist() != [False, True] or not pd.isna(got["score"].tolist()[1]):
        fail(f"`{call}`: the flag should be True where the score is missing, and the score kept")


@checks.question(
    "compare-choices",
    objective="handle-missing",
    hints=[
        "`values.mean()` ignores the gaps; `values.fillna(0).mean()` counts them as 0.",
        "`values.fillna(values.median()).mean()`; round each with `round(float(...), 2)`.",
    ],
    solution=(
        "def compare_choices(values):\n    return {\n"
        "        \"drop\": round(float(values.mean()), 2),\n"
        "        \"zero\": round(float(values.fillna(0).mean()), 2),\n"
        "        \"median\": round(float(values.fillna(values.median()).mean()), 2),\n    }"
    ),
    show_solution=AFTER_TWO,
)
def compare_choices(ns):
    values = pd.Series([2.0, None, 4.0, 12.0, None])
    got, call = _run(ns["compare_choices"], "compare_choices", values)
    expected = {"drop": 6.0, "zero": 3.6, "median": 5.2}
    if got != expected:
        fail(f"`{call}` returned {got!r}, not {expected!r}")
