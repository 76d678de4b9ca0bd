"""The form of the placement notebook ``placement/01-basics-and-functions.ipynb``.

A placement is a test, not practice: it has no Check buttons, no hints and no quizzes that
say right or wrong before it is submitted. Each learner gets their own numbers, names,
limits and defaults (``@checks.form``), drawn per learner by the course's backend; the
graded tests compute their expectations from them, on inputs drawn per form that only the
grader sees (the ``hidden_`` values). Public: shipped as-is (the form's seed is not).
"""

from mastery_nb.checks import Checks

checks = Checks(unit="placement-basics")

PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra"]
FIRST = ["Mary", "Tim", "Guido", "Barbara", "Donald", "Frances", "Radia", "Ken", "Joan", "Linus"]
LAST = ["Liskov", "Berners Lee", "Van Rossum", "Knuth", "Allen", "Perlman", "Thompson", "Clarke"]
WORDS = ["tea", "go", "yes", "ha", "echo", "tick"]
SEPARATORS = ["-", "+", " ", "/", "|"]


def _values(rng, n, low, high):
    return [round(rng.uniform(low, high), 1) for _ in range(n)]


@checks.form
def form(rng):
    grade_b = rng.choice([50, 55, 60])
    return {
        # use-variables: whole boxes
        "parcels": rng.randint(20, 400),
        "per_box": rng.randint(3, 12),
        "hidden_boxes": [
            [n * k, k] for n, k in ((rng.randint(2, 30), rng.randint(2, 9)), (1, rng.randint(2, 5)))
        ]
        + [[rng.randint(1, 999), rng.randint(2, 13)] for _ in range(3)],
        # work-with-strings: initials
        "person": rng.choice(PEOPLE),
        "hidden_people": [
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            f"  {rng.choice(FIRST).lower()} {rng.choice(LAST).lower()} ",
            rng.choice(FIRST),
        ],
        # use-conditionals: a grade, by this form's limits
        "grade_a": grade_b + rng.choice([20, 25, 30]),
        "grade_b": grade_b,
        "points": rng.randint(0, 100),
        # define-functions: a body-mass index
        "weight_kg": rng.randint(45, 110),
        "height_m": round(rng.uniform(1.5, 2.0), 2),
        "hidden_bmis": [[rng.randint(40, 140), round(rng.uniform(1.4, 2.1), 2)] for _ in range(3)],
        # default-arguments: a word repeated, with this form's defaults
        "word": rng.choice(WORDS),
        "times": rng.randint(2, 4),
        "sep": rng.choice(SEPARATORS),
        # loop-accumulate: values within a range
        "temps": _values(rng, 10, -5, 30),
        "low": rng.randint(0, 8),
        "high": rng.randint(15, 25),
        "hidden_ranges": [[_values(rng, 12, -10, 40), rng.randint(-5, 5), rng.randint(10, 30)], [[], 0, 5]],
    }
