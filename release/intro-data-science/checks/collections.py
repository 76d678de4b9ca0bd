"""Practice checks and quizzes for unit collections (Lists, dicts, tuples and sets).

Each check calls the learner's function on the notebook's data and one or two other
examples, compares with expected results written out here, and names what is wrong. The
graded tests use yet other inputs. Worked solutions open once the unit is mastered.
Public: shipped as-is to students and the grader.
"""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="collections")

MASTERED = "after_mastery"

TEMP_MAX = [12.8, 10.6, 11.7, 12.2, 8.9, 4.4, 7.2, 10.0, 9.4, 6.1, 6.1,
            6.1, 5.0, 4.4, 1.1, 1.7, 3.3, 0.0, -1.1, 7.2, 8.3]  # fmt: skip


def _call(fn, *args):
    """Call ``fn`` on copies of list arguments; fail when it changed them."""
    copies = [list(a) if isinstance(a, list) else a for a in args]
    got = fn(*copies)
    call = f"{getattr(fn, '__name__', 'function')}({', '.join(repr(a) for a in args)})"
    if copies != list(args):
        fail(f"`{call}` changed the list it was given; build a new list instead")
    if got is None:
        fail(f"`{call}` returned None: `return` the result")
    return got, call


def _expect(fn, cases):
    for args, expected in cases:
        got, call = _call(fn, *args)
        if type(got) is not type(expected):
            fail(
                f"`{call}` returned a {type(got).__name__}; it should be a {type(expected).__name__}"
            )
        if got != expected:
            fail(f"`{call}` returned {got!r}, not {expected!r}")


# -- index-slice-lists ----------------------------------------------------------------


@checks.question(
    "week",
    objective="index-slice-lists",
    hints=[
        "Week n starts at position 7 * (n - 1).",
        "A slice `daily[start:stop]` stops *before* `stop`: use `7 * n` as the stop.",
    ],
    solution="def week(daily, n):\n    return daily[7 * (n - 1) : 7 * n]",
    show_solution=MASTERED,
)
def week(ns):
    fn = ns["week"]
    got, call = _call(fn, TEMP_MAX, 1)
    if got == TEMP_MAX[1:8]:
        fail(f"`{call}` starts one day late: positions count from 0")
    if got == TEMP_MAX[0:8]:
        fail(f"`{call}` returned 8 values: a slice stops before its end position")
    _expect(
        fn,
        [
            ((TEMP_MAX, 1), [12.8, 10.6, 11.7, 12.2, 8.9, 4.4, 7.2]),
            ((TEMP_MAX, 3), [1.1, 1.7, 3.3, 0.0, -1.1, 7.2, 8.3]),
            (([1, 2, 3, 4, 5, 6, 7, 8, 9], 2), [8, 9]),
        ],
    )


@checks.question(
    "slice-tricks",
    objective="index-slice-lists",
    hints=["A slice takes a third number, the step: `[::2]`, `[::-1]`."],
    solution="def every_other(values):\n    return values[::2]\n\n\ndef newest_first(values):\n    return values[::-1]",
    show_solution=MASTERED,
)
def slice_tricks(ns):
    _expect(ns["every_other"], [(([1, 2, 3, 4, 5, 6, 7],), [1, 3, 5, 7]), ((["a", "b"],), ["a"])])
    _expect(
        ns["newest_first"], [((["rain", "sun", "snow"],), ["snow", "sun", "rain"]), (([],), [])]
    )


@checks.question(
    "comprehensions",
    objective="index-slice-lists",
    hints=[
        "Filter: `[t for t in temps if t < 0]`.",
        "Transform: `[round(t * 9 / 5 + 32, 1) for t in temps]`.",
    ],
    solution=(
        "def frost_days(temps):\n    return [t for t in temps if t < 0]\n\n\n"
        "def to_fahrenheit(temps):\n    return [round(t * 9 / 5 + 32, 1) for t in temps]"
    ),
    show_solution=MASTERED,
)
def comprehensions(ns):
    frost, fahrenheit = ns["frost_days"], ns["to_fahrenheit"]
    got, call = _call(frost, TEMP_MAX)
    if got == [0.0, -1.1]:
        fail(f"`{call}` kept 0.0: below 0 means `< 0`")
    _expect(frost, [((TEMP_MAX,), [-1.1]), (([-3, 5, -0.5],), [-3, -0.5])])
    _expect(fahrenheit, [(([0, 10, -5],), [32.0, 50.0, 23.0]), (([12.8],), [55.0])])


checks.single_choice(
    "slice-value",
    objective="index-slice-lists",
    prompt="With `nums = [10, 20, 30, 40, 50]`, what is `nums[1:3]`?",
    options=["[10, 20, 30]", "[20, 30]", "[20, 30, 40]", "[10, 20]"],
    answer="[20, 30]",
    hints=["Position 1 is the second value; the slice stops before position 3."],
)

checks.numeric(
    "comprehension-length",
    objective="index-slice-lists",
    prompt="How many values does `[x for x in range(10) if x % 3 == 0]` hold?",
    answer=4,
    tolerance=0,
    hints=["`range(10)` is 0 to 9; which of those divide by 3? Do not forget 0."],
)

# -- use-dicts ------------------------------------------------------------------------


@checks.question(
    "count-values",
    objective="use-dicts",
    hints=[
        "Start with an empty dict: `counts = {}`.",
        "For each value: `counts[value] = counts.get(value, 0) + 1`.",
    ],
    solution=(
        "def count_values(values):\n    counts = {}\n    for value in values:\n"
        "        counts[value] = counts.get(value, 0) + 1\n    return counts"
    ),
    show_solution=MASTERED,
)
def count_values(ns):
    fn = ns["count_values"]
    got, call = _call(fn, ["rain", "sun", "rain"])
    if isinstance(got, dict) and got == {"rain": 1, "sun": 1}:
        fail(f"`{call}` returned {got!r}: add 1 to the count instead of setting it to 1")
    _expect(fn, [((["rain", "sun", "rain"],), {"rain": 2, "sun": 1}), (([1, 1, 1],), {1: 3})])


@checks.question(
    "total-per-kind",
    objective="use-dicts",
    hints=[
        "Loop over positions: `for i in range(len(kinds)):`.",
        "Add the amount to the kind's total: `totals[kinds[i]] = totals.get(kinds[i], 0) + amounts[i]`.",
        "Round at the end, each total once.",
    ],
    solution=(
        "def total_per_kind(kinds, amounts):\n    totals = {}\n    for i in range(len(kinds)):\n"
        "        totals[kinds[i]] = totals.get(kinds[i], 0) + amounts[i]\n"
        "    return {kind: round(total, 1) for kind, total in totals.items()}"
    ),
    show_solution=MASTERED,
)
def total_per_kind(ns):
    fn = ns["total_per_kind"]
    kinds = ["drizzle", "rain", "rain", "rain", "rain", "rain", "rain", "sun", "rain", "rain"]
    rain = [0.0, 10.9, 0.8, 20.3, 1.3, 2.5, 0.0, 0.0, 4.3, 1.0]
    got, call = _call(fn, kinds, rain)
    if isinstance(got, dict) and got.get("rain") == 1.0:
        fail(f"`{call}` keeps only the last amount of each kind; add them up")
    if isinstance(got, dict) and got.get("rain") == 8:
        fail(f"`{call}` counted the days; add up the amounts instead")
    _expect(
        fn,
        [
            ((kinds, rain), {"drizzle": 0.0, "rain": 41.1, "sun": 0.0}),
            ((["x", "y", "x"], [1, 2, 3]), {"x": 4, "y": 2}),
        ],
    )


@checks.question(
    "most-common",
    objective="use-dicts",
    hints=[
        "Keep the best key so far, starting with `best = None`.",
        "Replace it when `best is None or count > counts[best]` (strictly greater keeps the first of a tie).",
    ],
    solution=(
        "def most_common(counts):\n    best = None\n    for key, count in counts.items():\n"
        "        if best is None or count > counts[best]:\n            best = key\n    return best"
    ),
    show_solution=MASTERED,
)
def most_common(ns):
    fn = ns["most_common"]
    got, call = _call(fn, {"rain": 11, "sun": 4, "snow": 6})
    if got == 11:
        fail(f"`{call}` returned the largest count; return its key")
    _expect(fn, [(({"rain": 11, "sun": 4, "snow": 6},), "rain"), (({"a": 1, "b": 3},), "b")])
    got, call = _call(fn, {"c": 2, "d": 2})
    if got != "c":
        fail(f"`{call}` returned {got!r}: on a tie, keep the key that comes first")


checks.numeric(
    "missing-key",
    objective="use-dicts",
    prompt='With `stock = {"apples": 4}`, what is `stock.get("pears", 0)`?',
    answer=0,
    tolerance=0,
    hints=["`get` gives its second argument when the key is missing."],
)

checks.multiple_choice(
    "key-types",
    objective="use-dicts",
    prompt="Which values can be dictionary keys?",
    options=['"rain"', "42", "(52.5, 13.4)", "[1, 2]"],
    answer=['"rain"', "42", "(52.5, 13.4)"],
    hints=["A list can change, so it cannot be a key; a tuple cannot change."],
)

# -- tuples-and-sets ------------------------------------------------------------------


@checks.question(
    "min-max",
    objective="tuples-and-sets",
    hints=[
        "`return min(values), max(values)` returns a tuple of two values.",
        "In `spread`, unpack: `low, high = min_max(values)`.",
    ],
    solution=(
        "def min_max(values):\n    return min(values), max(values)\n\n\n"
        "def spread(values):\n    low, high = min_max(values)\n    return high - low"
    ),
    show_solution=MASTERED,
)
def min_max(ns):
    mm, sp = ns["min_max"], ns["spread"]
    got, call = _call(mm, [4, 9, 1])
    if isinstance(got, list):
        fail(f"`{call}` returned a list; return a tuple: `return smallest, largest`")
    _expect(mm, [(([4, 9, 1],), (1, 9)), (([72.7, 80.2, 75.4],), (72.7, 80.2))])
    got, call = _call(sp, [4, 9, 1])
    if got != 8:
        fail(f"`{call}` returned {got!r}: largest minus smallest")


@checks.question(
    "unique-sorted",
    objective="tuples-and-sets",
    hints=["`set(values)` drops repeats; `sorted(...)` returns a sorted list."],
    solution="def unique_sorted(values):\n    return sorted(set(values))",
    show_solution=MASTERED,
)
def unique_sorted(ns):
    fn = ns["unique_sorted"]
    got, call = _call(fn, ["sun", "rain", "sun"])
    if isinstance(got, set):
        fail(f"`{call}` returned a set; return a sorted list: `sorted(...)`")
    _expect(fn, [((["sun", "rain", "sun"],), ["rain", "sun"]), (([2, 2, 2],), [2])])


@checks.question(
    "in-both",
    objective="tuples-and-sets",
    hints=[
        "`set(a) & set(b)` holds the values in both; `sorted(...)` makes a sorted list of them."
    ],
    solution="def in_both(a, b):\n    return sorted(set(a) & set(b))",
    show_solution=MASTERED,
)
def in_both(ns):
    fn = ns["in_both"]
    got, call = _call(fn, ["a", "b", "c"], ["b", "c", "d"])
    if isinstance(got, list) and sorted(got) == ["a", "b", "c", "d"]:
        fail(f"`{call}` returned the values in either list; keep those in both (`&`)")
    _expect(fn, [((["a", "b", "c"], ["b", "c", "d"]), ["b", "c"]), ((["x", "x"], ["x"]), ["x"])])


checks.single_choice(
    "container-choice",
    objective="tuples-and-sets",
    prompt="Which container should hold 50 000 winning numbers you test a million tickets against?",
    options=["a list", "a tuple", "a set", "a string"],
    answer="a set",
    hints=["Which container answers `x in ...` without looking at every value?"],
)

checks.numeric(
    "swap",
    objective="tuples-and-sets",
    prompt="After `a, b = 1, 2` and `a, b = b, a`, what is `a`?",
    answer=2,
    tolerance=0,
    hints=["The right-hand side `b, a` is the tuple (2, 1), built before anything is assigned."],
)
