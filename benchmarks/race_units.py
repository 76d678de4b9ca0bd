"""The units the grading race runs: one on numpy and pandas, one that imports scikit-learn.

Each is a realistic homework of eight graded questions (hidden tests, one partial-credit
test) written once, in nbgrader's format, and given to both graders: nbgrader 0.9.6 gets
it as ``source/<assignment>/`` of a course folder, mastery-nb as a unit of a course in
``courses/``. :func:`submissions` makes the same reproducible class for both: correct,
partial, erroring, unanswered and mixed answers, and one learner whose answer loops
forever (its cell calls the looping function, and so does the test).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

import nbformat

__all__ = ["MODEL", "SALES", "UNITS", "BenchUnit", "course_toml", "fill", "submissions"]

#: (grade_id, objective, points, solution, visible tests, hidden tests); hidden None: the
#: unit's partial-credit test is used instead
Question = tuple[str, str, float, str, str, str | None]


@dataclass(frozen=True)
class BenchUnit:
    id: str
    title: str
    setup: str
    questions: tuple[Question, ...]
    partial_test: str
    wrong: dict[str, str]
    #: the answer that loops forever: (grade id, answer)
    loop: tuple[str, str]
    errors: tuple[str, ...] = field(
        default=(
            "def {name}(*args):\n    raise ValueError('not done yet')",
            "def {name}(*args):\n    return undefined_helper(*args)",
            "def {name}(*args):\n    return 1 / 0",
            "{name} = None\nthis is not python",
        )
    )

    @property
    def notebook(self) -> str:
        return f"units/{self.id}.ipynb"

    def function(self, grade_id: str) -> str:
        solution = next(q[3] for q in self.questions if q[0] == grade_id)
        return solution.split("(")[0].removeprefix("def ")

    def test_ids(self) -> list[str]:
        return [f"{q[0]}-test" for q in self.questions]


SALES = BenchUnit(
    id="sales",
    title="Sales data (numpy, pandas)",
    setup="""import numpy as np
import pandas as pd
rng = np.random.default_rng(42)
sales = pd.DataFrame({
    "region": rng.choice(["north", "south", "east", "west"], size=400),
    "month": rng.integers(1, 13, size=400),
    "amount": rng.gamma(2.0, 50.0, size=400).round(2),
})
sales.loc[rng.choice(400, size=12, replace=False), "amount"] = np.nan""",
    questions=(
        (
            "mean-of",
            "describe-data",
            2,
            "def mean_of(xs):\n    return float(np.mean(xs))",
            "assert mean_of([1, 2, 3]) == 2.0",
            "assert abs(mean_of(np.arange(10)) - 4.5) < 1e-12",
        ),
        (
            "zscore",
            "describe-data",
            2,
            "def zscore(a):\n    a = np.asarray(a, dtype=float)\n    return (a - a.mean()) / a.std()",
            "np.testing.assert_allclose(zscore([1, 2, 3]), [-1.224744871391589, 0.0, 1.224744871391589])",
            "np.testing.assert_allclose(zscore(np.arange(5)).std(), 1.0)",
        ),
        (
            "top-n",
            "select-rows",
            2,
            "def top_n(df, column, n):\n    return df.nlargest(n, column)",
            "assert len(top_n(sales, 'amount', 5)) == 5",
            "assert top_n(sales, 'amount', 3)['amount'].iloc[0] == sales['amount'].max()",
        ),
        (
            "region-totals",
            "group-data",
            3,
            "def region_totals(df):\n    return df.groupby('region')['amount'].sum()",
            "assert set(region_totals(sales).index) == {'north', 'south', 'east', 'west'}",
            "pd.testing.assert_series_equal(region_totals(sales), sales.groupby('region')['amount'].sum())",
        ),
        (
            "clean",
            "select-rows",
            2,
            "def clean(df):\n    return df.dropna().reset_index(drop=True)",
            "assert clean(sales)['amount'].isna().sum() == 0",
            "assert list(clean(sales).index) == list(range(len(sales) - 12))",
        ),
        (
            "add-tax",
            "transform-data",
            2,
            "def add_tax(df, rate):\n    out = df.copy()\n    out['with_tax'] = out['amount'] * (1 + rate)\n    return out",
            "assert 'with_tax' in add_tax(sales, 0.2).columns",
            "np.testing.assert_allclose(add_tax(sales, 0.5)['with_tax'].dropna(), sales['amount'].dropna() * 1.5)\n"
            "assert 'with_tax' not in sales.columns",
        ),
        (
            "moving-avg",
            "transform-data",
            2,
            "def moving_avg(a, w):\n    return np.convolve(np.asarray(a, dtype=float), np.ones(w) / w, mode='valid')",
            "np.testing.assert_allclose(moving_avg([1, 2, 3, 4], 2), [1.5, 2.5, 3.5])",
            "assert len(moving_avg(np.arange(100), 10)) == 91",
        ),
        (
            "pivot",
            "group-data",
            3,
            "def pivot(df):\n    return df.pivot_table(index='region', columns='month', values='amount', aggfunc='sum')",
            "",
            None,
        ),
    ),
    partial_test="""expected = sales.pivot_table(index="region", columns="month", values="amount", aggfunc="sum")
got = pivot(sales)
score = 0.0
if got.shape == expected.shape:
    score += 1.0
if got.shape == expected.shape and np.allclose(got.to_numpy(), expected.to_numpy(), equal_nan=True):
    score += 2.0
score""",
    wrong={
        "mean-of": "def mean_of(xs):\n    return float(np.median(xs)) + 1",
        "zscore": "def zscore(a):\n    a = np.asarray(a, dtype=float)\n    return (a - a.mean()) / a.std(ddof=1)",
        "top-n": "def top_n(df, column, n):\n    return df.nsmallest(n, column)",
        "region-totals": "def region_totals(df):\n    return df.groupby('region')['amount'].mean()",
        "clean": "def clean(df):\n    return df.dropna()",
        "add-tax": "def add_tax(df, rate):\n    df['with_tax'] = df['amount'] * rate\n    return df",
        "moving-avg": "def moving_avg(a, w):\n    return np.convolve(a, np.ones(w) / w, mode='same')",
        "pivot": "def pivot(df):\n    return df.pivot_table(index='region', columns='month', values='amount', aggfunc='mean')",
    },
    loop=("clean", "def clean(df):\n    while True:\n        pass\nclean(None)"),
)

MODEL = BenchUnit(
    id="models",
    title="First models (scikit-learn)",
    setup="""import numpy as np
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
rng = np.random.default_rng(7)
X = rng.normal(size=(240, 3))
y = X @ np.array([1.5, -2.0, 0.5]) + 3.0 + rng.normal(scale=0.1, size=240)
labels = (X[:, 0] + X[:, 1] > 0).astype(int)""",
    questions=(
        (
            "split",
            "prepare-data",
            2,
            "def split(X, y):\n    return train_test_split(X, y, test_size=0.25, random_state=0)",
            "assert len(split(X, y)) == 4",
            "X_train, X_test, y_train, y_test = split(X, y)\nassert X_test.shape == (60, 3) and len(y_train) == 180",
        ),
        (
            "scale",
            "prepare-data",
            2,
            "def scale(X):\n    return StandardScaler().fit_transform(X)",
            "assert scale(X).shape == X.shape",
            "np.testing.assert_allclose(scale(X).mean(axis=0), 0, atol=1e-12)\n"
            "np.testing.assert_allclose(scale(X).std(axis=0), 1)",
        ),
        (
            "fit-line",
            "fit-models",
            3,
            "def fit_line(X, y):\n    return LinearRegression().fit(X, y)",
            "assert hasattr(fit_line(X, y), 'coef_')",
            "np.testing.assert_allclose(fit_line(X, y).coef_, [1.5, -2.0, 0.5], atol=0.05)",
        ),
        (
            "intercept",
            "fit-models",
            2,
            "def intercept(X, y):\n    return float(LinearRegression().fit(X, y).intercept_)",
            "assert isinstance(intercept(X, y), float)",
            "assert abs(intercept(X, y) - 3.0) < 0.05",
        ),
        (
            "rmse",
            "evaluate-models",
            2,
            "def rmse(model, X, y):\n    return float(np.sqrt(mean_squared_error(y, model.predict(X))))",
            "assert rmse(LinearRegression().fit(X, y), X, y) >= 0",
            "assert rmse(LinearRegression().fit(X, y), X, y) < 0.2",
        ),
        (
            "classify",
            "fit-models",
            3,
            "def classify(X, labels):\n    return LogisticRegression().fit(X, labels)",
            "assert hasattr(classify(X, labels), 'predict')",
            "assert (classify(X, labels).predict(X) == labels).mean() > 0.9",
        ),
        (
            "accuracy",
            "evaluate-models",
            2,
            "def accuracy(model, X, labels):\n    return float(accuracy_score(labels, model.predict(X)))",
            "assert 0 <= accuracy(LogisticRegression().fit(X, labels), X, labels) <= 1",
            "assert accuracy(LogisticRegression().fit(X, labels), X, labels) > 0.9",
        ),
        (
            "predict-one",
            "evaluate-models",
            3,
            "def predict_one(model, row):\n    return float(model.predict(np.asarray([row]))[0])",
            "",
            None,
        ),
    ),
    partial_test="""model = LinearRegression().fit(X, y)
got = predict_one(model, [1.0, 1.0, 1.0])
score = 0.0
if isinstance(got, float):
    score += 1.0
if isinstance(got, float) and abs(got - model.predict([[1.0, 1.0, 1.0]])[0]) < 1e-9:
    score += 2.0
score""",
    wrong={
        "split": "def split(X, y):\n    return train_test_split(X, y, test_size=0.5, random_state=0)",
        "scale": "def scale(X):\n    return X - X.mean(axis=0)",
        "fit-line": "def fit_line(X, y):\n    return LinearRegression(fit_intercept=False).fit(X, y)",
        "intercept": "def intercept(X, y):\n    return float(np.mean(y))",
        "rmse": "def rmse(model, X, y):\n    return float(mean_squared_error(y, model.predict(X))) + 1",
        "classify": "def classify(X, labels):\n    return LogisticRegression().fit(X[:, 2:], labels)",
        "accuracy": "def accuracy(model, X, labels):\n    return float((model.predict(X) != labels).mean())",
        "predict-one": "def predict_one(model, row):\n    return model.predict(np.asarray([row]))",
    },
    loop=(
        "fit-line",
        "def fit_line(X, y):\n    while True:\n        pass\nfit_line(X, y)",
    ),
)

UNITS = {unit.id: unit for unit in (SALES, MODEL)}


def _meta(
    grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float = 0
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook(unit: BenchUnit) -> Any:
    """The instructor's notebook: solutions and hidden tests, objectives on the tests."""
    cells = [
        nbformat.v4.new_markdown_cell(f"# {unit.title}\nEight short questions."),
        nbformat.v4.new_code_cell(
            unit.setup, metadata=_meta("setup", grade=False, solution=False, locked=True)
        ),
    ]
    for grade_id, objective, points, solution, visible, hidden in unit.questions:
        cells.append(
            nbformat.v4.new_code_cell(
                f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION",
                metadata=_meta(grade_id, grade=False, solution=True, locked=False),
            )
        )
        test = (
            unit.partial_test
            if hidden is None
            else f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"
        )
        meta = _meta(f"{grade_id}-test", grade=True, solution=False, locked=True, points=points)
        meta["mastery"] = {"schema_version": 1, "objectives": [objective]}
        cells.append(nbformat.v4.new_code_cell(test, metadata=meta))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def course_toml(course: str, units: list[BenchUnit]) -> str:
    """A course of the race's units: unlimited attempts, no cooldown, no prerequisites."""
    lines = [
        "[course]",
        f'id = "{course}"',
        'title = "Grading race"',
        "",
        "[policy]",
        'max_attempts = "unlimited"',
        'cooldown = "0s"',
        "",
    ]
    for unit in units:
        lines += [
            "[[units]]",
            f'id = "{unit.id}"',
            f'title = "{unit.title}"',
            f'notebooks = ["{unit.notebook}"]',
            "",
        ]
        for objective in dict.fromkeys(q[1] for q in unit.questions):
            lines += [
                "[[units.objectives]]",
                f'id = "{objective}"',
                f'description = "{objective.replace("-", " ")}"',
                "",
            ]
    return "\n".join(lines)


def submissions(unit: BenchUnit, count: int) -> list[tuple[str, str, dict[str, str]]]:
    """(student, kind, answers by grade id): varied and reproducible, one looping."""
    out: list[tuple[str, str, dict[str, str]]] = []
    right = {q[0]: q[3] for q in unit.questions}
    for i in range(count):
        rng = random.Random(i)
        student = f"s{i:03d}"
        answers = dict(right)
        if i == count // 2:
            kind = "loop"
            answers[unit.loop[0]] = unit.loop[1]
        elif i % 10 in (0, 1, 2, 3):
            kind = "correct"
        elif i % 10 in (4, 5, 6):
            kind = "partial"
            for gid in rng.sample(sorted(unit.wrong), rng.randint(1, 4)):
                answers[gid] = unit.wrong[gid]
        elif i % 10 in (7, 8):
            kind = "erroring"
            for gid in rng.sample(sorted(unit.wrong), rng.randint(1, 3)):
                answers[gid] = rng.choice(unit.errors).format(name=unit.function(gid))
        else:
            kind = "unanswered" if i % 20 == 9 else "mixed"
            for gid in sorted(unit.wrong):
                roll = rng.random()
                if kind == "unanswered" or roll < 0.2:
                    answers[gid] = "# YOUR CODE HERE\nraise NotImplementedError()"
                elif roll < 0.5:
                    answers[gid] = unit.wrong[gid]
        out.append((student, kind, answers))
    return out


def fill(released: Any, answers: dict[str, str]) -> bytes:
    """A released notebook with the learner's answers in its answer cells."""
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nbformat.writes(nb).encode("utf-8")
