"""The practice checks of the data units (5-9) name typical mistakes (no kernel needed).

Like ``test_course_content_checks.py``, each case runs one check of
``courses/intro-data-science/checks/<unit>.py`` against a learner's typical wrong answer
(an axis swapped, an inner merge that loses rows, ``astype(bool)`` on yes/no words, a
mean where the median was asked for ...) and asserts the verdict names that mistake.
The learner's code imports what it uses, as a notebook cell would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_course_content_checks import _run, units_dir  # noqa: F401 (units_dir: a fixture)

NP = "import numpy as np\n"
PD = "import pandas as pd\n"

# (unit, question, the learner's wrong answer, words the message must contain)
WRONG_ANSWERS = [
    (
        "numpy-arrays",
        "daily-range",
        "def daily_range(temp_max, temp_min):\n    return temp_min - temp_max\n"
        "def midpoint(temp_max, temp_min):\n    return (temp_max + temp_min) / 2",
        "subtract the lowest temperature from the highest",
    ),
    (
        "numpy-arrays",
        "daily-range",
        "def daily_range(temp_max, temp_min):\n    return temp_max - temp_min\n"
        "def midpoint(temp_max, temp_min):\n    return temp_max + temp_min / 2",
        "`/` is done before `+`",
    ),
    (
        "numpy-arrays",
        "daily-range",
        "def daily_range(temp_max, temp_min):\n    return [a - b for a, b in zip(temp_max, temp_min)]\n"
        "def midpoint(temp_max, temp_min):\n    return (temp_max + temp_min) / 2",
        "compute with the arrays to get an array",
    ),
    (
        "numpy-arrays",
        "to-inches",
        NP + "def to_inches(precip_mm):\n    return np.round(precip_mm * 25.4, 2)",
        "so divide",
    ),
    (
        "numpy-arrays",
        "day-change",
        "def day_to_day_change(values):\n    return values[:-1] - values[1:]",
        "today minus yesterday",
    ),
    (
        "numpy-arrays",
        "count-below",
        "def count_below(values, limit):\n    return int((values <= limit).sum())",
        "strictly below means `<`",
    ),
    (
        "numpy-arrays",
        "wet-days",
        "def wet_days(precip):\n    return precip > 0\n"
        "def mean_on_wet_days(precip):\n    return round(float(precip.mean()), 1)",
        "use it to select the values",
    ),
    (
        "numpy-arrays",
        "warm-and-dry",
        "def count_warm_and_dry(temp_max, precip, limit):\n"
        "    return int(((temp_max >= limit) | (precip == 0)).sum())",
        "use `&` for and",
    ),
    (
        "numpy-arrays",
        "column-means",
        NP + "def column_means(table):\n    return np.round(table.mean(axis=1), 1)\n"
        "def row_totals(table):\n    return table.sum(axis=1)",
        "a mean per column needs the other axis",
    ),
    (
        "numpy-arrays",
        "weekly-max",
        "def weekly_max(daily):\n    return daily.reshape(-1, 7).max(axis=0)",
        "you want one per week",
    ),
    (
        "numpy-arrays",
        "wettest-week",
        NP
        + "def wettest_week(daily):\n    return int(np.argmax(daily.reshape(-1, 7).sum(axis=1)))",
        "weeks are numbered from 1",
    ),
    (
        "pandas-selection",
        "load-and-shape",
        PD + "def load_and_shape(path):\n    return pd.read_csv(path)",
        "return its size as a tuple",
    ),
    (
        "pandas-selection",
        "value-at",
        "def value_at(df, label, column):\n    return df[column].iloc[label]",
        "the row *labelled* 3 is wanted",
    ),
    (
        "pandas-selection",
        "block",
        "def block(df, first, last, columns):\n    return df.loc[first:last, columns].iloc[:-1]",
        "a label slice includes its end",
    ),
    (
        "pandas-selection",
        "heavier-than",
        'def heavier_than(df, grams):\n    return df[df["body_mass_g"] >= grams]',
        "*greater than* means `>`",
    ),
    (
        "pandas-selection",
        "conditions",
        "def of_species_on(df, species, island):\n"
        '    return df[(df["species"] == species) | (df["island"] == island)]\n'
        'def on_islands(df, islands):\n    return df[df["island"].isin(islands)]',
        "use `&` for both",
    ),
    (
        "pandas-selection",
        "sorting",
        'def heaviest(df, n):\n    return df.sort_values("body_mass_g").head(n)\n'
        'def by_species_then_mass(df):\n    return df.sort_values(["species", "body_mass_g"])',
        "sort with `ascending=False`",
    ),
    (
        "cleaning",
        "yes-no",
        "def yes_no_to_bool(values):\n    return values.astype(bool)",
        "any non-empty text is True",
    ),
    (
        "cleaning",
        "tidy-columns",
        "def tidy_columns(df):\n    result = df.copy()\n"
        '    result.columns = df.columns.str.lower().str.replace(" ", "_")\n    return result',
        "remove `(` and `)`",
    ),
    (
        "cleaning",
        "tidy-labels",
        "def tidy_labels(values):\n    return values.str.lower()",
        "remove them with `.str.strip()`",
    ),
    (
        "cleaning",
        "days-after",
        PD + "def days_after(texts, start):\n"
        "    return (pd.Timestamp(start) - pd.to_datetime(texts)).dt.days",
        "subtract the start from each date",
    ),
    (
        "cleaning",
        "laid-between",
        PD + "def laid_between(df, first, last):\n"
        '    laid = pd.to_datetime(df["Date Egg"])\n'
        "    return df[(laid > pd.Timestamp(first)) & (laid < pd.Timestamp(last))]",
        "both end days are included",
    ),
    (
        "cleaning",
        "complete-rows",
        "def complete_rows(df, columns):\n    return df.dropna()",
        "look only at the columns asked for",
    ),
    (
        "cleaning",
        "fill-median",
        "def fill_median(df, column):\n    result = df.copy()\n"
        "    result[column] = result[column].fillna(result[column].mean())\n    return result",
        "use the median",
    ),
    (
        "joining-reshaping",
        "add-continent",
        'def add_continent(values, countries):\n    return values.merge(countries, on="country")',
        'keep every row with `how="left"`',
    ),
    (
        "joining-reshaping",
        "unmatched",
        "def unmatched(left, right, key):\n    return sorted(set(right[key]) - set(left[key]))",
        "the left table's are wanted",
    ),
    (
        "joining-reshaping",
        "join-report",
        "def join_report(left, right, key):\n    a, b = set(left[key]), set(right[key])\n"
        '    return {"both": len(a & b), "left_only": len(a - b), "right_only": len(b - a)}',
        "count the rows of the merge, not the keys",
    ),
    (
        "joining-reshaping",
        "stack",
        PD + "def stack(tables):\n    return pd.concat(tables)",
        "number the rows afresh",
    ),
    (
        "joining-reshaping",
        "to-wide",
        "def to_wide(df, index, columns, values):\n"
        "    return df.pivot(index=columns, columns=index, values=values)",
        "`columns=` names the column whose values become columns",
    ),
    (
        "joining-reshaping",
        "share-table",
        "def share_table(df, index, columns, values):\n"
        "    wide = df.pivot(index=index, columns=columns, values=values)\n"
        "    return (wide / wide.sum() * 100).round(1)",
        "divide each row by its own total",
    ),
    (
        "grouping",
        "total-in-year",
        'def total_in_year(df, year):\n    return df.groupby("continent")["pop"].sum()',
        "keep the rows of the year asked for first",
    ),
    (
        "grouping",
        "largest-and-sizes",
        "def largest_per_group(df, group, column):\n    return df.groupby(group)[column].max()\n"
        'def group_sizes(df, group):\n    return df.groupby(group)["score"].count()',
        "count rows with `.size()`",
    ),
    (
        "grouping",
        "two-way-table",
        "def two_way_table(df, rows, cols, column):\n"
        "    return df.groupby([cols, rows])[column].mean().round(1).unstack()",
        "`rows` should be the rows",
    ),
    (
        "grouping",
        "difference-in-means",
        "def difference_in_means(df, group, column, a, b):\n"
        "    means = df.groupby(group)[column].mean()\n    return round(float(means[b] - means[a]), 1)",
        "not the other way round",
    ),
    (
        "grouping",
        "share-above",
        "def share_above(df, group, column, limit):\n"
        "    return (df[column] > limit).groupby(df[group]).sum()",
        "divide by the group size",
    ),
    (
        "grouping",
        "best-group",
        "def best_group(df, group, column):\n    return df.groupby(group)[column].mean().idxmax()",
        "compare medians",
    ),
]


@pytest.mark.parametrize(
    ("unit", "qid", "code", "expected"),
    WRONG_ANSWERS,
    ids=[f"{u}:{q}" for u, q, *_ in WRONG_ANSWERS],
)
def test_wrong_answer_gets_a_specific_message(
    units_dir: Path,  # noqa: F811 (the fixture imported above)
    unit: str,
    qid: str,
    code: str,
    expected: str,
) -> None:
    verdict = _run(unit, qid, code, units_dir)
    assert verdict.status == "incorrect", verdict
    assert expected in verdict.message, verdict.message
    assert verdict.objective


@pytest.mark.parametrize(
    ("unit", "qid", "code"),
    [
        (
            "numpy-arrays",
            "count-below",
            "def count_below(values, limit):\n    values[0] = 99\n    return 0",
        ),
        (
            "pandas-selection",
            "heavier-than",
            "def heavier_than(df, grams):\n    df['x'] = 1\n    return df",
        ),
        (
            "cleaning",
            "to-category",
            "def to_category(df, columns):\n    df['shade'] = 0\n    return df",
        ),
        (
            "grouping",
            "mean-per-group",
            "def mean_per_group(df, group, column):\n    df[column] = 0\n    return df",
        ),
    ],
)
def test_changing_the_input_is_named(units_dir: Path, unit: str, qid: str, code: str) -> None:  # noqa: F811
    """Functions of the data units must not change the array or table they are given."""
    verdict = _run(unit, qid, code, units_dir)
    assert verdict.status == "incorrect", verdict
    assert "changed" in verdict.message, verdict.message
