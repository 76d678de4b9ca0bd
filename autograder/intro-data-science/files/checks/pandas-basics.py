"""Practice checks and quizzes for unit pandas-basics (Tables with pandas).

The checks rebuild small sample frames of their own to call the learner's functions, so a
function that only works on the full table, or only for one city, is caught.
"""

import pandas as pd

from mastery_nb.checks import Checks, fail, not_attempted

checks = Checks(unit="pandas-basics")


def _frame(ns, name):
    value = ns[name]
    if isinstance(value, pd.Series):
        fail(f"`{name}` is a Series (one column); it should be a DataFrame with whole rows")
    if not isinstance(value, pd.DataFrame):
        fail(f"`{name}` should be a DataFrame, got a {type(value).__name__}")
    return value


def _weather(ns):
    """The learner's loaded table, after checking it is the full file."""
    weather = _frame(ns, "weather")
    if weather.shape != (36, 6) or "avg_temp_c" not in weather.columns:
        fail(f"`weather` has shape {weather.shape}; load ../data/city-weather.csv again, unchanged")
    return weather


@checks.question(
    "load-weather",
    objective="load-inspect-data",
    hints=[
        'pd.read_csv("../data/city-weather.csv"): the data folder is one level up from units/.',
        "df.shape is (rows, columns); df[\"rainfall_mm\"].isna().sum() counts the missing values.",
    ],
    solution=(
        'weather = pd.read_csv("../data/city-weather.csv")\nn_rows, n_cols = weather.shape\n'
        'missing_rain = int(weather["rainfall_mm"].isna().sum())'
    ),
    show_solution="after_attempts:3",
)
def load_weather(ns):
    if "weather" not in ns:
        not_attempted("load the CSV file into `weather` and run the cell")
    weather = _weather(ns)
    if (ns["n_rows"], ns["n_cols"]) != weather.shape:
        fail(f"(n_rows, n_cols) is ({ns['n_rows']}, {ns['n_cols']}), which is not the shape of `weather`")
    missing = ns["missing_rain"]
    if isinstance(missing, (pd.Series, pd.DataFrame)):
        fail("`missing_rain` is a Series; add up the mask with .sum() to get one number")
    if missing == len(weather):
        fail("`missing_rain` equals the number of rows; count only the missing values (isna)")
    if missing == weather["rainfall_mm"].notna().sum():
        fail("`missing_rain` counts the readings that are present; use isna(), not notna()")
    if missing != weather["rainfall_mm"].isna().sum():
        fail(f"`missing_rain` is {missing}; count the NaN values of the rainfall_mm column")


@checks.question(
    "numeric-columns",
    objective="load-inspect-data",
    hints=[
        "weather.dtypes shows each column's type; text columns are not numeric.",
        'weather.select_dtypes("number").columns gives the names; wrap it in list(...).',
    ],
)
def numeric_columns(ns):
    cols = ns["numeric_columns"]
    if isinstance(cols, pd.Index):
        fail("`numeric_columns` is a pandas Index; turn it into a list with list(...)")
    if isinstance(cols, pd.DataFrame):
        fail("`numeric_columns` is a DataFrame; take its .columns and make a list of the names")
    if not isinstance(cols, list):
        fail(f"`numeric_columns` should be a list of names, got a {type(cols).__name__}")
    weather = _weather(ns)
    want = [c for c in weather.columns if pd.api.types.is_numeric_dtype(weather[c])]
    if any(c not in weather.columns for c in cols):
        fail("`numeric_columns` contains names that are not columns of `weather`")
    if any(c not in want for c in cols):
        fail("`numeric_columns` includes a text column")
    if len(cols) < len(want):
        fail(f"`numeric_columns` has {len(cols)} names; a numeric column is missing (a column with NaN is still numeric)")
    if cols != want:
        fail("`numeric_columns` has the right names in the wrong order; keep the table's order")


@checks.question(
    "select-hot",
    objective="select-rows",
    hints=[
        'weather[weather["avg_temp_c"] > 25] keeps the rows where the condition is True.',
        'For several months use weather["month"].isin([...]); join conditions with & and parentheses.',
    ],
)
def select_hot(ns):
    weather = _weather(ns)
    hot = _frame(ns, "hot")
    if list(hot.columns) != list(weather.columns):
        fail("`hot` should keep every column of `weather`; select rows only")
    if (hot["avg_temp_c"] <= 25).any():
        fail("`hot` contains rows at or below 25 °C")
    if len(hot) != (weather["avg_temp_c"] > 25).sum():
        fail(f"`hot` has {len(hot)} rows; some rows above 25 °C are missing")
    ws = _frame(ns, "wet_spring")
    if not ws["month"].isin(["Mar", "Apr", "May"]).all():
        fail("`wet_spring` contains months other than March, April and May")
    if (ws["rainfall_mm"] <= 50).any():
        fail("`wet_spring` contains rows with 50 mm of rain or less (or missing rainfall)")
    want = weather["month"].isin(["Mar", "Apr", "May"]) & (weather["rainfall_mm"] > 50)
    if len(ws) != want.sum():
        fail(f"`wet_spring` has {len(ws)} rows; check that all three months are included")


@checks.question(
    "months-above",
    objective="select-rows",
    hints=[
        "Inside the function use the parameters df, city and limit, never the global `weather`.",
        'Select with (df["city"] == city) & (df["avg_temp_c"] > limit), then take the month column as a list.',
    ],
    solution=(
        "def months_above(df, city, limit):\n"
        '    rows = df[(df["city"] == city) & (df["avg_temp_c"] > limit)]\n'
        '    return list(rows["month"])'
    ),
    show_solution="after_attempts:4",
)
def months_above(ns):
    fn = ns["months_above"]
    if not callable(fn):
        fail("`months_above` should be a function")
    sample = pd.DataFrame(
        {
            "city": ["Lima", "Lima", "Lima", "Quito", "Quito"],
            "country": ["Peru", "Peru", "Peru", "Ecuador", "Ecuador"],
            "month": ["Jan", "Feb", "Mar", "Jan", "Feb"],
            "avg_temp_c": [23.0, 24.0, 23.5, 14.0, 24.5],
            "rainfall_mm": [1.0, 1.0, 1.0, 110.0, 130.0],
            "sunny_days": [20, 21, 19, 8, 7],
        }
    )
    got = fn(sample, "Lima", 23.0)
    if isinstance(got, pd.Series):
        fail("months_above returned a Series; return a list of month names (list(...))")
    if not isinstance(got, list):
        fail(f"months_above returned a {type(got).__name__}; return a list of month names")
    if got == ["Feb", "Mar", "Feb"]:
        fail("months_above(sample, 'Lima', 23.0) included another city's month; filter on the city too")
    if "Jan" in got:
        fail("months_above(sample, 'Lima', 23.0) included a month exactly at the limit; 'above' means >")
    if got != ["Feb", "Mar"]:
        fail(f"months_above(sample, 'Lima', 23.0) returned {got}; did you use the `df` parameter rather than `weather`?")
    if fn(sample, "Oslo", 0.0) != []:
        fail("months_above(sample, 'Oslo', 0.0) should be an empty list: Oslo is not in that frame")


@checks.question(
    "mean-temp",
    objective="group-aggregate",
    hints=[
        'weather.groupby("city")["avg_temp_c"].mean() gives one mean per city.',
        "A Series' .idxmax() returns the label (here: the city) of its largest value.",
    ],
)
def mean_temp(ns):
    weather = _weather(ns)
    mt = ns["mean_temp"]
    if isinstance(mt, pd.DataFrame):
        fail("`mean_temp` is a DataFrame; select the avg_temp_c column before .mean() to get a Series")
    if not isinstance(mt, pd.Series):
        fail(f"`mean_temp` should be a Series, got a {type(mt).__name__}")
    want = weather.groupby("city")["avg_temp_c"].mean()
    if len(mt) == len(weather):
        fail("`mean_temp` has one value per row; group by city first")
    if set(mt.index) != set(want.index):
        fail("`mean_temp` should be indexed by city; group by the city column")
    if not (mt.sort_index() - want).abs().max() < 1e-9:
        fail("`mean_temp` has the right cities but wrong values; aggregate avg_temp_c with mean")
    wc = ns["warmest_city"]
    if isinstance(wc, (int, float)):
        fail("`warmest_city` is a number; it should be the city's name (idxmax, not max)")
    if wc != want.idxmax():
        fail(f"`warmest_city` is {wc!r}, which does not have the highest mean temperature")


@checks.question(
    "summary-table",
    objective="group-aggregate",
    hints=[
        'Named aggregation: .agg(total_rain=("rainfall_mm", "sum"), sunny=("sunny_days", "sum")).',
        'Then .sort_values("sunny", ascending=False).',
    ],
)
def summary_table(ns):
    weather = _weather(ns)
    summary = _frame(ns, "summary")
    if sorted(summary.columns) != ["sunny", "total_rain"]:
        fail(f"`summary` has columns {list(summary.columns)}; it should have exactly total_rain and sunny")
    if len(summary) != weather["city"].nunique():
        fail(f"`summary` has {len(summary)} rows; it should have one row per city")
    want = weather.groupby("city").agg(total_rain=("rainfall_mm", "sum"), sunny=("sunny_days", "sum"))
    if set(summary.index) != set(want.index):
        fail("`summary` should be indexed by city")
    if (summary["sunny"].sort_index() != want["sunny"]).any():
        fail("`summary`'s sunny column does not hold each city's total of sunny_days")
    if ((summary["total_rain"].sort_index() - want["total_rain"]).abs() > 1e-9).any():
        fail("`summary`'s total_rain column does not hold each city's total rainfall")
    if list(summary["sunny"]) != sorted(summary["sunny"], reverse=True):
        fail("`summary` is not sorted by sunny from most to fewest (ascending=False)")


checks.single_choice(
    "float-column",
    objective="load-inspect-data",
    prompt="Why is rainfall_mm a float64 column although every reading is a whole number?",
    options=[
        "Missing values are stored as NaN, which is a float, so the whole column becomes float",
        "pandas always reads numbers as floats",
        "Rainfall is a continuous quantity, so pandas guesses float",
        "The CSV file stores the numbers with a decimal point",
    ],
    answer="Missing values are stored as NaN, which is a float, so the whole column becomes float",
)

checks.multiple_choice(
    "select-cairo",
    objective="select-rows",
    prompt="Which expressions give the rows of weather whose city is Cairo?",
    options=[
        'weather[weather["city"] == "Cairo"]',
        "weather.query(\"city == 'Cairo'\")",
        'weather["city" == "Cairo"]',
        'weather[weather.city == "Cairo"]',
        'weather[weather["city"]] == "Cairo"',
    ],
    answer=[
        'weather[weather["city"] == "Cairo"]',
        "weather.query(\"city == 'Cairo'\")",
        'weather[weather.city == "Cairo"]',
    ],
)

checks.numeric(
    "group-rows",
    objective="group-aggregate",
    prompt='How many rows does weather.groupby("country")["rainfall_mm"].sum() have?',
    answer=6,
)
