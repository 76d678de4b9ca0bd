"""The sample course's practice checks give specific, honest feedback (no kernel needed).

Each case runs one check of ``courses/intro-data-science/checks/<unit>.py`` against a
namespace built from a typical wrong answer, and asserts the verdict names what is wrong
("check how you handle missing values") without printing the value the check expected.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from course_content_helpers import COURSE

from mastery_nb.checks import Verdict, load_checks

UNITS = [
    "python-basics",
    "functions",
    "lists-dicts",
    "numpy-arrays",
    "pandas-basics",
    "describing-data",
]

SETUP = {
    "lists-dicts": """
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
temps = [12.1, 12.6, 15.0, 16.0, 18.7, 21.9]
sky = ["sun", "cloud", "rain", "sun", "sun", "cloud", "rain",
       "rain", "rain", "sun", "cloud", "rain", "rain", "sun"]
""",
    "numpy-arrays": """
import numpy as np
rain_list = [0.0, 0.0, 3.2, 12.5, 0.4, 0.0, 0.0, 7.1, 22.0, 15.3, 0.0, 0.0, 1.2, 0.0,
             0.0, 0.0, 0.0, 0.0, 4.8, 9.9, 0.6, 0.0, 2.2, 30.1, 18.4, 0.0, 0.0, 0.0]
temp_list = [-2.5, -1.0, 0.5, 3.2, 4.8, 6.1, 2.0, 1.5, 5.5, 7.9, 9.3, 11.0, 8.4, 6.6,
             4.0, 2.1, -0.5, -3.2, -1.1, 0.8, 3.9, 6.7, 8.8, 10.2, 12.5, 9.9, 7.3, 5.0]
rain = np.array(rain_list)
rain_weeks = rain.reshape(4, 7)
temps = np.array(temp_list)
""",
    "pandas-basics": """
import pandas as pd
weather = pd.read_csv("../data/city-weather.csv")
""",
    "describing-data": """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
penguins = pd.read_csv("../data/penguins.csv")
""",
}

# (unit, question, the learner's wrong answer, words the message must contain,
#  words it must not contain because they would give the expected answer away)
WRONG_ANSWERS = [
    (
        "python-basics",
        "receipt-total",
        "coffee_price = 2.40\ncake_price = 3.15\ntotal = coffee_price + cake_price\n"
        "total_with_tip = round(total * 1.2, 2)",
        "only one coffee",
        ["7.95", "9.54"],
    ),
    (
        "python-basics",
        "rain-duration",
        "rain_minutes = 437\nhours = rain_minutes / 60\nminutes = 17\nrain_hours = 7.28",
        "`hours` should be an int, got a float",
        ["7 h"],
    ),
    (
        "python-basics",
        "report-line",
        'station = "Oslo Blindern"\ntemp_c = 4.25\nhumidity = 0.8125\n'
        'report = f"{station}: {temp_c} °C, humidity {humidity:.0%}"',
        "two decimals",
        ["4.2 °C"],
    ),
    ("python-basics", "storm-warning", 'warning = "True"', "is a str", []),
    (
        "functions",
        "fahrenheit",
        "def celsius_to_fahrenheit(celsius):\n    print(celsius * 9 / 5 + 32)",
        "returned None; use `return` instead of `print`",
        ["212"],
    ),
    (
        "functions",
        "dry-spell",
        "def longest_dry_spell(rain):\n    longest = current = 0\n    for mm in rain:\n"
        "        if mm == 0:\n            current += 1\n        else:\n"
        "            longest = max(longest, current)\n            current = 0\n    return longest",
        "dry run at the very end",
        [],
    ),
    (
        "functions",
        "rain-category",
        'def rain_category(mm, heavy=10.0):\n    if mm == 0:\n        return "dry"\n'
        '    if mm <= heavy:\n        return "rain"\n    return "heavy rain"\ntropical = "rain"',
        "is the limit itself heavy?",
        [],
    ),
    (
        "lists-dicts",
        "comprehensions",
        "temps_f = [t * 9 / 5 + 32 for t in temps]\n"
        "warm_months = [m for m, t in zip(months, temps) if t >= 15]",
        "'above 15' means > 15",
        ["['Apr', 'May', 'Jun']"],
    ),
    (
        "lists-dicts",
        "counting",
        "def count_values(items):\n    counts = {}\n    for item in items:\n"
        "        counts[item] = counts.get(item, 0) + 1\n    return counts\n"
        "sky_counts = count_values(sky)\nmost_common = max(sky_counts)",
        "not the observation with the largest count",
        ["'rain'"],
    ),
    (
        "numpy-arrays",
        "weekly",
        "weekly_total = rain_weeks.sum(axis=0)",
        "one per weekday",
        ["16.1", "45.6"],
    ),
    (
        "numpy-arrays",
        "masks",
        "n_frost = 5\nmild = (temps >= 5) & (temps <= 10)",
        "the mask itself",
        [],
    ),
    (
        "numpy-arrays",
        "fill-missing",
        "def fill_missing(values, fill_value):\n    values[np.isnan(values)] = fill_value\n"
        "    return values",
        "changed the array it was given",
        [],
    ),
    (
        "pandas-basics",
        "numeric-columns",
        'numeric_columns = list(weather.select_dtypes("int").columns)',
        "a numeric column is missing",
        ["rainfall_mm", "avg_temp_c"],
    ),
    (
        "pandas-basics",
        "months-above",
        "def months_above(df, city, limit):\n"
        '    rows = weather[(weather["city"] == city) & (weather["avg_temp_c"] > limit)]\n'
        '    return list(rows["month"])',
        "use the `df` parameter",
        ["['Feb', 'Mar']"],
    ),
    (
        "describing-data",
        "mean-mass",
        'def mean_mass(df):\n    return round(df["body_mass_g"].fillna(0).mean(), 1)\n'
        'median_mass = penguins["body_mass_g"].median()\n'
        'n_weighed = int(penguins["body_mass_g"].count())',
        "returned 3516.7 for the sample frame; a missing mass was counted as 0 g, "
        "check how you handle missing values",
        ["4220"],
    ),
    (
        "describing-data",
        "mass-histogram",
        "def plot_mass_histogram(df, bins=12):\n    fig, ax = plt.subplots()\n"
        '    ax.hist(df["body_mass_g"].fillna(0), bins=bins)\n    ax.set_title("mass")\n'
        '    ax.set_xlabel("body mass (g)")\n    ax.set_ylabel("number of penguins")\n    return fig',
        "check how you handle missing values",
        [],
    ),
    (
        "describing-data",
        "bill-vs-flipper",
        "def plot_bill_vs_flipper(df):\n    fig, ax = plt.subplots()\n"
        '    for s, g in df.groupby("species"):\n'
        '        ax.scatter(g["bill_length_mm"], g["flipper_length_mm"], label=s)\n'
        '    ax.legend()\n    ax.set_title("t")\n    return fig',
        "axes are swapped",
        [],
    ),
]


@pytest.fixture
def units_dir(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run checks as the notebooks do: from the units folder, with no grading mode."""
    folder = repo_root / "courses" / COURSE / "units"
    monkeypatch.chdir(folder)
    for key in [k for k in os.environ if k.startswith("MASTERY_NB_")]:
        monkeypatch.delenv(key)
    return folder


def _run(unit: str, qid: str, code: str, folder: Path) -> Verdict:
    ns: dict[str, Any] = {}
    exec(SETUP.get(unit, ""), ns)
    exec(code, ns)
    checks = load_checks(unit, start=folder, namespace=ns)
    return checks.run(qid, record=False)


@pytest.mark.parametrize(
    ("unit", "qid", "code", "expected", "forbidden"),
    WRONG_ANSWERS,
    ids=[f"{u}:{q}" for u, q, *_ in WRONG_ANSWERS],
)
def test_wrong_answer_gets_a_specific_message(
    units_dir: Path, unit: str, qid: str, code: str, expected: str, forbidden: list[str]
) -> None:
    verdict = _run(unit, qid, code, units_dir)
    assert verdict.status == "incorrect", verdict
    assert expected in verdict.message
    for word in forbidden:
        assert word not in verdict.message, f"the message gives the answer away: {verdict.message}"
    assert verdict.objective


def test_learner_exception_is_an_error_verdict_showing_their_exception(units_dir: Path) -> None:
    code = "def celsius_to_fahrenheit(celsius):\n    return celsius / 0"
    verdict = _run("functions", "fahrenheit", code, units_dir)
    assert verdict.status == "error"
    assert "ZeroDivisionError" in verdict.message


@pytest.mark.parametrize("unit", UNITS)
def test_every_code_question_is_not_attempted_on_an_empty_notebook(
    units_dir: Path, unit: str
) -> None:
    ns: dict[str, Any] = {}
    exec(SETUP.get(unit, ""), ns)
    checks = load_checks(unit, start=units_dir, namespace=ns)
    code_questions = []
    for qid in checks.ids:
        try:
            checks.code_question(qid)
        except KeyError:
            continue
        code_questions.append(qid)
        verdict = checks.run(qid, record=False)
        assert verdict.status == "not_attempted", (qid, verdict)
    assert len(code_questions) >= 4


@pytest.mark.parametrize("unit", UNITS)
def test_quizzes_score_right_wrong_and_missing_answers(units_dir: Path, unit: str) -> None:
    checks = load_checks(unit, start=units_dir, namespace={})
    quizzes = 0
    for qid in checks.ids:
        try:
            q = checks.quiz_question(qid)
        except KeyError:
            continue
        quizzes += 1
        right: Any = list(q.answer) if isinstance(q.answer, tuple) else q.answer
        assert checks.score(qid, right).status == "correct", qid
        assert checks.score(qid, None).status == "not_attempted", qid
        if q.kind == "single_choice":
            wrong: Any = next(o for o in q.options if o != q.answer)  # type: ignore[union-attr]
        elif q.kind == "multiple_choice":
            wrong = right[:-1]
        elif q.kind == "numeric":
            wrong = float(q.answer) + 1  # type: ignore[arg-type]
        else:
            wrong = "trim"
        verdict = checks.score(qid, wrong)
        assert verdict.status == "incorrect", (qid, wrong)
        assert str(right) not in verdict.message, "a quiz must not reveal its answer"
    assert quizzes >= 1
