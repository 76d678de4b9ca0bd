"""Checked practice of the correctives and challenges of unit sampling-simulation.

Used by ``resources/sampling-simulation/*.ipynb``. Random answers are checked by what
holds whatever the seed (same seed same result, sizes, repeats) and estimates against
exact values within several standard errors. Practice only: nothing here is graded;
worked solutions (whole functions with their imports) open after two checks.
"""

import math

import numpy as np

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-sampling-simulation")

AFTER_TWO = "after_attempts:2"


def _repeatable(fn, name, *args):
    first = fn(*args)
    if first is None:
        fail(f"`{name}` returned None: replace `None` with your computation")
    if not np.array_equal(np.asarray(first, dtype=object), np.asarray(fn(*args), dtype=object)):
        fail(
            f"`{name}` gave two results for one seed: make the generator from `seed` inside the function"
        )
    return first


# -- random-samples --------------------------------------------------------------------


@checks.question(
    "pick-countries",
    objective="random-samples",
    hints=[
        "`gen = np.random.default_rng(seed)`, `gen.choice(names, size=k, replace=False)`, then `sorted(...)`."
    ],
    solution=(
        "import numpy as np\n\n\ndef pick_countries(names, k, seed):\n"
        "    gen = np.random.default_rng(seed)\n"
        "    return sorted(gen.choice(names, size=k, replace=False))"
    ),
    show_solution=AFTER_TWO,
)
def pick_countries(ns):
    fn = ns["pick_countries"]
    names = ["Chad", "Fiji", "Peru", "Laos", "Mali", "Oman"]
    got = list(_repeatable(fn, "pick_countries", names, 3, 11))
    if len(got) != 3 or not set(got) <= set(names) or len(set(got)) != 3:
        fail("pick 3 different names of the list")
    if got != sorted(got):
        fail("return the names sorted")
    if len({tuple(fn(names, 3, s)) for s in range(10)}) < 5:
        fail("the picks hardly change with the seed: pass `seed` to the generator")


@checks.question(
    "roll-dice",
    objective="random-samples",
    hints=["`np.random.default_rng(seed).integers(1, 7, size=n)`: 7 is excluded."],
    solution=(
        "import numpy as np\n\n\ndef roll_dice(n, seed):\n"
        "    return np.random.default_rng(seed).integers(1, 7, size=n)"
    ),
    show_solution=AFTER_TWO,
)
def roll_dice(ns):
    fn = ns["roll_dice"]
    rolls = np.asarray(_repeatable(fn, "roll_dice", 6000, 4))
    if rolls.shape != (6000,):
        fail("return one roll per die: an array of n numbers")
    if set(np.unique(rolls)) != {1, 2, 3, 4, 5, 6}:
        fail(
            f"a die shows 1 to 6; your rolls take the values {sorted(set(np.unique(rolls).tolist()))}"
        )


@checks.question(
    "stratified-split",
    objective="random-samples",
    hints=[
        "For each label: `where = np.flatnonzero(labels == label)` gives its positions.",
        "Shuffle them with the one generator and keep the first `len(where) // 2`.",
        "Collect the kept positions of every label and return them sorted.",
    ],
    solution=(
        "import numpy as np\n\n\ndef stratified_split(labels, seed):\n"
        "    gen = np.random.default_rng(seed)\n    labels = np.asarray(labels)\n    chosen = []\n"
        "    for label in sorted(set(labels.tolist())):\n"
        "        where = gen.permutation(np.flatnonzero(labels == label))\n"
        "        chosen.extend(where[: len(where) // 2].tolist())\n    return sorted(chosen)"
    ),
    show_solution=AFTER_TWO,
)
def stratified_split(ns):
    fn = ns["stratified_split"]
    labels = np.array(["a", "b", "a", "a", "c", "b", "a", "b", "c", "a"])
    got = [int(i) for i in _repeatable(fn, "stratified_split", labels, 8)]
    if got != sorted(got) or len(set(got)) != len(got):
        fail("return the chosen positions, each once, sorted")
    for label, wanted in (("a", 2), ("b", 1), ("c", 1)):
        have = sum(labels[i] == label for i in got)
        if have != wanted:
            fail(
                f"label {label!r} has {int((labels == label).sum())} rows: half of them (rounded down) is {wanted}, not {have}"
            )
    if len({tuple(fn(labels, s)) for s in range(12)}) < 6:
        fail("the split hardly changes with the seed: shuffle with the generator")


# -- simulate-chance -------------------------------------------------------------------


@checks.question(
    "prob-doubles",
    objective="simulate-chance",
    hints=["Roll `(trials, 2)` dice; doubles are rows where column 0 equals column 1."],
    solution=(
        "import numpy as np\n\n\ndef prob_doubles(trials, seed):\n"
        "    dice = np.random.default_rng(seed).integers(1, 7, size=(trials, 2))\n"
        "    return (dice[:, 0] == dice[:, 1]).mean()"
    ),
    show_solution=AFTER_TWO,
)
def prob_doubles(ns):
    got = _repeatable(ns["prob_doubles"], "prob_doubles", 30_000, 2)
    if abs(got - 1 / 6) > 0.015:
        fail("the estimate is far from the exact chance of doubles, 1/6")


@checks.question(
    "prob-heads",
    objective="simulate-chance",
    hints=[
        "`flips = gen.integers(0, 2, size=(trials, n))`: 1 is heads.",
        "`(flips.sum(axis=1) >= k).mean()`.",
    ],
    solution=(
        "import numpy as np\n\n\ndef prob_heads(k, n, trials, seed):\n"
        "    flips = np.random.default_rng(seed).integers(0, 2, size=(trials, n))\n"
        "    return (flips.sum(axis=1) >= k).mean()"
    ),
    show_solution=AFTER_TWO,
)
def prob_heads(ns):
    fn = ns["prob_heads"]
    got = _repeatable(fn, "prob_heads", 7, 10, 40_000, 5)
    exact = sum(math.comb(10, j) for j in range(7, 11)) / 2**10
    if abs(got - exact) > 0.015:
        fail("the estimate of at least 7 heads in 10 flips is far from the exact chance")
    if fn(0, 5, 100, 1) != 1:
        fail("at least 0 heads always happens: your estimate should be 1")


@checks.question(
    "birthday",
    objective="simulate-chance",
    hints=[
        "`days = gen.integers(0, 365, size=(trials, people))`: one row per group.",
        "A row has a shared birthday when it has fewer unique values than people: "
        "`np.sort(days, axis=1)` and compare neighbours.",
    ],
    solution=(
        "import numpy as np\n\n\ndef birthday_probability(people, trials, seed):\n"
        "    days = np.random.default_rng(seed).integers(0, 365, size=(trials, people))\n"
        "    ordered = np.sort(days, axis=1)\n"
        "    shared = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)\n    return shared.mean()"
    ),
    show_solution=AFTER_TWO,
)
def birthday(ns):
    fn = ns["birthday_probability"]
    for people in (10, 23, 40):
        exact = 1 - math.prod((365 - i) / 365 for i in range(people))
        got = _repeatable(fn, "birthday_probability", people, 20_000, 9)
        if abs(got - exact) > 0.02:
            fail(
                f"for {people} people the estimate is far from the exact chance of a shared birthday"
            )


# -- sampling-variability --------------------------------------------------------------


@checks.question(
    "bootstrap-medians",
    objective="sampling-variability",
    hints=[
        "One generator; in a loop, `np.median(gen.choice(sample, size=len(sample), replace=True))`."
    ],
    solution=(
        "import numpy as np\n\n\ndef bootstrap_medians(sample, reps, seed):\n"
        "    gen = np.random.default_rng(seed)\n"
        "    return np.array([np.median(gen.choice(sample, size=len(sample))) for _ in range(reps)])"
    ),
    show_solution=AFTER_TWO,
)
def bootstrap_medians(ns):
    sample = np.array([18.0, 22.0, 15.0, 31.0, 26.0, 24.0, 20.0, 16.0, 29.0])
    got = np.asarray(_repeatable(ns["bootstrap_medians"], "bootstrap_medians", sample, 2000, 3))
    if got.shape != (2000,):
        fail("return one median per resample")
    if not set(np.unique(got)) <= set(sample):
        fail("the median of 9 values is one of them: compute `np.median`, not the mean")
    if len(np.unique(got)) < 4:
        fail("the medians hardly vary: resample with replacement, one generator for all resamples")


@checks.question(
    "median-interval",
    objective="sampling-variability",
    hints=["`np.percentile(bootstrap_values, [5, 95])` for the middle 90 %."],
    solution=(
        "import numpy as np\n\n\ndef middle_90(bootstrap_values):\n"
        "    low, high = np.percentile(bootstrap_values, [5, 95])\n    return low, high"
    ),
    show_solution=AFTER_TWO,
)
def median_interval(ns):
    got = ns["middle_90"](np.arange(0, 201))
    if not isinstance(got, tuple) or len(got) != 2:
        fail("return a tuple `(low, high)`")
    if not (np.isclose(got[0], 10) and np.isclose(got[1], 190)):
        fail("for the numbers 0 to 200 the middle 90 % runs from 10 to 190")


@checks.question(
    "se-by-size",
    objective="sampling-variability",
    hints=[
        "One generator; for each size, `reps` sample means without replacement.",
        "The standard error for that size is `np.std(means)`; store it in a dict under the size.",
    ],
    solution=(
        "import numpy as np\n\n\ndef se_by_size(population, sizes, reps, seed):\n"
        "    gen = np.random.default_rng(seed)\n    result = {}\n    for n in sizes:\n"
        "        avgs = [gen.choice(population, size=n, replace=False).mean() for _ in range(reps)]\n"
        "        result[n] = float(np.std(avgs))\n    return result"
    ),
    show_solution=AFTER_TWO,
)
def se_by_size(ns):
    population = np.arange(0.0, 1000.0)
    got = ns["se_by_size"](population, [4, 16, 64], 1500, 2)
    if not isinstance(got, dict) or sorted(got) != [4, 16, 64]:
        fail("return a dict with one entry per size")
    for n, se in got.items():
        exact = population.std() / np.sqrt(n) * np.sqrt((1000 - n) / 999)
        if abs(se / exact - 1) > 0.1:
            fail(
                f"the standard error for samples of {n} is off: it should be the spread of many sample means"
            )
