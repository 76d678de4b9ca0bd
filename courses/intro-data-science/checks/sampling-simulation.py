"""Practice checks and quizzes for unit sampling-simulation (Sampling and simulation).

Random answers are checked by what must hold whatever the seed: the same seed gives the
same result, sizes and origins of the values, whether values repeat, and estimates close
to values computed exactly here (within several standard errors, so a correct answer
never fails by bad luck). The graded tests use other seeds and data. Worked solutions
open once the unit is mastered. Public: shipped as-is to students and the grader.
"""

import numpy as np

from mastery_nb.checks import Checks, fail

checks = Checks(unit="sampling-simulation")

MASTERED = "after_mastery"


def _same_twice(fn, name, *args):
    """The learner's result for ``args``; fail unless a second call gives the same."""
    first = fn(*args)
    if first is None:
        fail(f"`{name}` returned None: return the result")
    if not np.array_equal(np.asarray(first, dtype=object), np.asarray(fn(*args), dtype=object)):
        fail(
            f"`{name}` gave two different results for the same seed: make the generator "
            "inside the function with `np.random.default_rng(seed)`"
        )
    return first


# -- random-samples --------------------------------------------------------------------


@checks.question(
    "draw-sample",
    objective="random-samples",
    hints=[
        "`rng = np.random.default_rng(seed)` inside the function.",
        "`rng.choice(values, size=n, replace=False)`.",
    ],
    solution=(
        "def draw_sample(values, n, seed):\n    rng = np.random.default_rng(seed)\n"
        "    return rng.choice(values, size=n, replace=False)"
    ),
    show_solution=MASTERED,
)
def draw_sample(ns):
    fn = ns["draw_sample"]
    letters = np.array(list("abcdefg"))
    got = np.asarray(_same_twice(fn, "draw_sample", letters, 4, 2024))
    if len(got) != 4:
        fail(f"`draw_sample(letters, 4, 2024)` returned {len(got)} items, not 4")
    if not set(got) <= set(letters):
        fail("the sample holds values that are not in `values`")
    whole = np.asarray(fn(letters, 7, 5))
    if sorted(whole) != sorted(letters):
        fail("a sample of all 7 letters should hold each letter once: draw without replacement")
    starts = {tuple(np.asarray(fn(letters, 2, s))) for s in range(10)}
    if len(starts) < 5:
        fail("different seeds should give different samples: pass `seed` to the generator")


@checks.question(
    "resample",
    objective="random-samples",
    hints=["`rng.choice(values, size=len(values), replace=True)`."],
    solution=(
        "def resample(values, seed):\n    rng = np.random.default_rng(seed)\n"
        "    return rng.choice(values, size=len(values), replace=True)"
    ),
    show_solution=MASTERED,
)
def resample(ns):
    fn = ns["resample"]
    values = np.array([10, 20, 30, 40, 50, 60])
    got = np.asarray(_same_twice(fn, "resample", values, 1))
    if len(got) != len(values):
        fail(f"the resample has {len(got)} items; it should be as long as `values` ({len(values)})")
    if not set(got) <= set(values):
        fail("the resample holds values that are not in `values`")
    if all(sorted(np.asarray(fn(values, s))) == sorted(values) for s in range(20)):
        fail("no value ever repeats: draw *with* replacement (`replace=True`)")


@checks.question(
    "two-groups",
    objective="random-samples",
    hints=[
        "`shuffled = rng.permutation(values)` with `rng = np.random.default_rng(seed)`.",
        "`half = len(values) // 2`, then `return shuffled[:half], shuffled[half:]`.",
    ],
    solution=(
        "def two_groups(values, seed):\n    rng = np.random.default_rng(seed)\n"
        "    shuffled = rng.permutation(values)\n    half = len(values) // 2\n"
        "    return shuffled[:half], shuffled[half:]"
    ),
    show_solution=MASTERED,
)
def two_groups(ns):
    fn = ns["two_groups"]
    values = np.array([3, 1, 4, 15, 9, 2, 6])
    got = fn(values, 3)
    if not isinstance(got, tuple) or len(got) != 2:
        fail("return a tuple of two arrays: `return first, second`")
    first, second = got
    if (len(first), len(second)) != (3, 4):
        fail(f"7 values should be split 3 and 4; yours are {len(first)} and {len(second)}")
    if sorted(np.concatenate([first, second])) != sorted(values):
        fail("together the two groups should hold every value once")
    again = fn(values, 3)
    if not (np.array_equal(first, again[0]) and np.array_equal(second, again[1])):
        fail("the same seed gave two different splits: make the generator from `seed`")
    if len({tuple(sorted(fn(values, s)[0])) for s in range(12)}) < 6:
        fail("the groups hardly change with the seed: shuffle with `rng.permutation(values)`")


checks.single_choice(
    "why-seed",
    objective="random-samples",
    prompt="Why give your random generator a seed in an analysis?",
    options=[
        "so that running the analysis again gives the same random numbers and the same results",
        "so that the numbers are more random",
        "so that every call returns the same number",
        "because NumPy cannot make random numbers without one",
    ],
    answer="so that running the analysis again gives the same random numbers and the same results",
    hints=["Run the first example cell twice: what stays the same, what changes?"],
)

checks.multiple_choice(
    "can-repeat",
    objective="random-samples",
    prompt="With values = np.arange(10), which calls can return the same item twice?",
    options=[
        "rng.choice(values, size=5, replace=True)",
        "rng.choice(values, size=5, replace=False)",
        "rng.permutation(values)",
        "rng.integers(0, 10, size=5)",
    ],
    answer=["rng.choice(values, size=5, replace=True)", "rng.integers(0, 10, size=5)"],
    hints=["Which calls put each item back (or never take it out) before drawing again?"],
)

# -- simulate-chance -------------------------------------------------------------------


@checks.question(
    "dice-total",
    objective="simulate-chance",
    hints=[
        "`dice = rng.integers(1, 7, size=(trials, 2))`: one row per trial, one column per die.",
        "`(dice.sum(axis=1) == total).mean()` is the share of trials that hit the total.",
    ],
    solution=(
        "def dice_total_probability(total, trials, seed):\n    rng = np.random.default_rng(seed)\n"
        "    dice = rng.integers(1, 7, size=(trials, 2))\n    return (dice.sum(axis=1) == total).mean()"
    ),
    show_solution=MASTERED,
)
def dice_total(ns):
    fn = ns["dice_total_probability"]
    got = _same_twice(fn, "dice_total_probability", 7, 40_000, 1)
    if not 0 <= got <= 1:
        fail(
            f"`dice_total_probability(7, 40_000, 1)` returned {got!r}: return a share between 0 and 1"
        )
    if abs(got - 6 / 36) > 0.015:
        if abs(got - 5 / 36) < 0.015 or abs(got - 1 / 6) > 0.05:
            fail(
                "the estimate for a total of 7 is far from the exact 6/36: roll dice from 1 to 6 (`rng.integers(1, 7)`)"
            )
        fail("the estimate for a total of 7 is far from the exact 6/36")
    if fn(1, 10_000, 2) != 0:
        fail("two dice never add up to 1, but your estimate is not 0: are your dice from 1 to 6?")
    twelve = fn(12, 40_000, 3)
    if twelve == 0:
        fail(
            "a double six never came up in 40,000 rolls: roll dice from 1 to 6 (`rng.integers(1, 7)`)"
        )
    if abs(twelve - 1 / 36) > 0.006:
        fail("the estimate for a total of 12 is far from the exact 1/36")


@checks.question(
    "at-least-once",
    objective="simulate-chance",
    hints=[
        "`rain = rng.random(size=(trials, tries)) < p`: a table of True (rain) and False.",
        "`rain.any(axis=1)` is True for trials with rain on at least one day; take its mean.",
    ],
    solution=(
        "def at_least_once(p, tries, trials, seed):\n    rng = np.random.default_rng(seed)\n"
        "    rain = rng.random(size=(trials, tries)) < p\n    return rain.any(axis=1).mean()"
    ),
    show_solution=MASTERED,
)
def at_least_once(ns):
    fn = ns["at_least_once"]
    got = _same_twice(fn, "at_least_once", 0.4, 3, 40_000, 6)
    exact = 1 - 0.6**3
    if abs(got - 0.4**3) < 0.02:
        fail("that is the chance of rain on *every* day; use `.any(axis=1)`, not `.all(axis=1)`")
    if abs(got - exact) > 0.015:
        fail("the estimate for p = 0.4 over 3 days is far from the exact 1 - 0.6**3")


@checks.question(
    "simulate-counts",
    objective="simulate-chance",
    hints=[
        "`successes = rng.random(size=(trials, n)) < p`: one row per trial.",
        "`successes.sum(axis=1)` counts the successes of each trial.",
    ],
    solution=(
        "def simulate_counts(p, n, trials, seed):\n    rng = np.random.default_rng(seed)\n"
        "    successes = rng.random(size=(trials, n)) < p\n    return successes.sum(axis=1)"
    ),
    show_solution=MASTERED,
)
def simulate_counts(ns):
    fn = ns["simulate_counts"]
    counts = np.asarray(_same_twice(fn, "simulate_counts", 0.5, 4, 20_000, 3))
    if counts.shape != (20_000,):
        fail(f"return one count per trial: an array of shape (trials,), not {counts.shape}")
    if counts.min() < 0 or counts.max() > 4:
        fail("each count should be between 0 and n")
    if abs(counts.mean() - 2) > 0.05:
        fail(
            "on average, half of 4 tries with p = 0.5 should succeed; count successes per trial with `.sum(axis=1)`"
        )


checks.single_choice(
    "more-trials",
    objective="simulate-chance",
    prompt="100 trials estimate a probability as 0.23. What about 10,000 trials?",
    options=[
        "the estimate will usually be closer to the true probability",
        "the estimate will be exactly 0.23 again",
        "the estimate will be about 100 times larger",
        "the estimate will always be further from 0.23",
    ],
    answer="the estimate will usually be closer to the true probability",
    hints=["Look at the coins example: how did the estimates change from 100 to 100,000 trials?"],
)

checks.single_choice(
    "one-die",
    objective="simulate-chance",
    prompt="Which call rolls one fair six-sided die?",
    options=["rng.integers(1, 7)", "rng.integers(1, 6)", "rng.integers(0, 6)", "rng.random() * 6"],
    answer="rng.integers(1, 7)",
    hints=["`rng.integers(low, high)` includes low and excludes high."],
)

# -- sampling-variability --------------------------------------------------------------


@checks.question(
    "sample-means",
    objective="sampling-variability",
    hints=[
        "One generator before the loop: `rng = np.random.default_rng(seed)`.",
        "`[rng.choice(population, size=n, replace=False).mean() for _ in range(reps)]`, as an array.",
    ],
    solution=(
        "def sample_means(population, n, reps, seed):\n    rng = np.random.default_rng(seed)\n"
        "    means = [rng.choice(population, size=n, replace=False).mean() for _ in range(reps)]\n"
        "    return np.array(means)"
    ),
    show_solution=MASTERED,
)
def sample_means(ns):
    fn = ns["sample_means"]
    population = np.arange(1.0, 41.0)
    means = np.asarray(_same_twice(fn, "sample_means", population, 10, 2000, 13))
    if means.shape != (2000,):
        fail(f"return one mean per sample: an array of shape (reps,), not {means.shape}")
    if np.all(means == means[0]):
        fail(
            "every sample has the same mean: make the generator once, before the loop, not inside it"
        )
    if abs(means.mean() - 20.5) > 0.2:
        fail("the sample means should centre on the population's mean")
    spread = population.std() / np.sqrt(10) * np.sqrt(30 / 39)
    if abs(means.std() / spread - 1) > 0.1:
        fail("the means vary more (or less) than samples of n drawn without replacement would")


@checks.question(
    "bootstrap-means",
    objective="sampling-variability",
    hints=[
        "Like `sample_means`, but each resample has `size=len(sample)` and `replace=True`.",
    ],
    solution=(
        "def bootstrap_means(sample, reps, seed):\n    rng = np.random.default_rng(seed)\n"
        "    means = [rng.choice(sample, size=len(sample), replace=True).mean() for _ in range(reps)]\n"
        "    return np.array(means)"
    ),
    show_solution=MASTERED,
)
def bootstrap_means(ns):
    fn = ns["bootstrap_means"]
    sample = np.array([12.0, 15.0, 9.0, 20.0, 11.0, 14.0, 18.0, 7.0])
    boot = np.asarray(_same_twice(fn, "bootstrap_means", sample, 3000, 17))
    if boot.shape != (3000,):
        fail(f"return one mean per resample: an array of shape (reps,), not {boot.shape}")
    if np.allclose(boot, sample.mean()):
        fail("every resample has the sample's own mean: resample *with* replacement")
    if abs(boot.mean() - sample.mean()) > 0.15:
        fail("the bootstrap means should centre on the sample's mean")
    if abs(boot.std() / (sample.std() / np.sqrt(len(sample))) - 1) > 0.1:
        fail(
            "the bootstrap means vary more (or less) than they should: is each resample as long as the sample?"
        )


@checks.question(
    "percentile-interval",
    objective="sampling-variability",
    hints=[
        "`tail = (1 - level) / 2 * 100` is the per cent cut off at each end.",
        "`np.percentile(values, [tail, 100 - tail])` gives both ends.",
    ],
    solution=(
        "def percentile_interval(values, level):\n    tail = (1 - level) / 2 * 100\n"
        "    low, high = np.percentile(values, [tail, 100 - tail])\n    return low, high"
    ),
    show_solution=MASTERED,
)
def percentile_interval(ns):
    fn = ns["percentile_interval"]
    values = np.arange(0, 101)
    got = fn(values, 0.8)
    if not isinstance(got, tuple) or len(got) != 2:
        fail("return a tuple `(low, high)`")
    low, high = got
    if np.isclose(low, 20) or np.isclose(high, 80):
        fail(
            "`percentile_interval(np.arange(0, 101), 0.8)`: cut off half of the 20 % at each end, not 20 %"
        )
    if not (np.isclose(low, 10) and np.isclose(high, 90)):
        fail(
            f"`percentile_interval(np.arange(0, 101), 0.8)` returned ({low}, {high}); the middle 80 % runs from 10 to 90"
        )


checks.single_choice(
    "larger-sample",
    objective="sampling-variability",
    prompt="A sample of 25 gives a standard error of 160 g. About how large for a sample of 100?",
    options=["80 g", "40 g", "160 g", "320 g"],
    answer="80 g",
    hints=["The standard error shrinks like 1 / √n: what is √(100 / 25)?"],
)

checks.single_choice(
    "what-resample",
    objective="sampling-variability",
    prompt="In a bootstrap, each resample is ...",
    options=[
        "as large as the sample, drawn from it with replacement",
        "half of the sample, drawn without replacement",
        "a new sample from the population",
        "the sample sorted in a random order",
    ],
    answer="as large as the sample, drawn from it with replacement",
    hints=[
        "Without replacement, a resample as large as the sample would just be the sample again."
    ],
)
