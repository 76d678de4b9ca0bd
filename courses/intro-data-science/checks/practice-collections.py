"""Checked practice of the correctives and challenges of unit collections.

Used by ``resources/collections/*.ipynb`` (``load_checks("practice-collections")``).
Practice only: nothing here is graded, and worked solutions (whole functions, so the
content tests can run them) open after a few checks.
"""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-collections")

AFTER_TWO = "after_attempts:2"


def _expect(fn, name, cases):
    """Fail with the first case where ``fn(*args)`` differs; list arguments must stay unchanged."""
    for args, expected in cases:
        copies = [
            list(a) if isinstance(a, list) else dict(a) if isinstance(a, dict) else a for a in args
        ]
        call = f"{name}({', '.join(repr(a) for a in args)})"
        got = fn(*copies)
        if copies != list(args):
            fail(f"`{call}` changed its input; build a new list or dictionary instead")
        if got is None:
            fail(f"`{call}` returned None: replace `None` with your computation")
        if got != expected or type(got) is not type(expected):
            fail(f"`{call}` returned {got!r}, not {expected!r}")


@checks.question(
    "without-ends",
    objective="index-slice-lists",
    hints=["Start at position 1 and stop before the last position: `[1:-1]`."],
    solution="def without_ends(values):\n    return values[1:-1]",
    show_solution=AFTER_TWO,
)
def without_ends(ns):
    _expect(
        ns["without_ends"],
        "without_ends",
        [(([9, 4, 6, 2],), [4, 6]), ((["a", "b"],), []), (([1, 2, 3],), [2])],
    )


@checks.question(
    "word-lists",
    objective="index-slice-lists",
    hints=["`[w for w in words if len(w) > n]`", "`[w[0].upper() for w in words]`"],
    solution=(
        "def long_words(words, n):\n    return [w for w in words if len(w) > n]\n\n\n"
        "def initials(words):\n    return [w[0].upper() for w in words]"
    ),
    show_solution=AFTER_TWO,
)
def word_lists(ns):
    _expect(
        ns["long_words"],
        "long_words",
        [((["a", "tree", "is", "green"], 2), ["tree", "green"]), (([], 1), [])],
    )
    _expect(ns["initials"], "initials", [((["ada", "Bo", "cy"],), ["A", "B", "C"])])


@checks.question(
    "moving-average",
    objective="index-slice-lists",
    hints=[
        "The windows start at positions `range(len(values) - k + 1)`.",
        "`[round(sum(values[i : i + k]) / k, 2) for i in range(len(values) - k + 1)]`",
    ],
    solution=(
        "def moving_average(values, k):\n"
        "    return [round(sum(values[i : i + k]) / k, 2) for i in range(len(values) - k + 1)]"
    ),
    show_solution=AFTER_TWO,
)
def moving_average(ns):
    _expect(
        ns["moving_average"],
        "moving_average",
        [
            (([2, 4, 6, 8], 2), [3.0, 5.0, 7.0]),
            (([1, 2, 3, 4, 5], 3), [2.0, 3.0, 4.0]),
            (([5, 6], 3), []),
            (([1, 2, 2], 3), [1.67]),
        ],
    )


@checks.question(
    "letter-counts",
    objective="use-dicts",
    hints=["`counts[ch] = counts.get(ch, 0) + 1` for each letter `ch` of the word."],
    solution=(
        "def letter_counts(word):\n    counts = {}\n    for ch in word:\n"
        "        counts[ch] = counts.get(ch, 0) + 1\n    return counts"
    ),
    show_solution=AFTER_TWO,
)
def letter_counts(ns):
    _expect(
        ns["letter_counts"], "letter_counts", [(("banana",), {"b": 1, "a": 3, "n": 2}), (("",), {})]
    )


@checks.question(
    "restock",
    objective="use-dicts",
    hints=["`new = dict(stock)` is a copy; then `new[item] = new.get(item, 0) + amount`."],
    solution=(
        "def restock(stock, item, amount):\n    new = dict(stock)\n"
        "    new[item] = new.get(item, 0) + amount\n    return new"
    ),
    show_solution=AFTER_TWO,
)
def restock(ns):
    _expect(
        ns["restock"],
        "restock",
        [(({"pen": 3}, "pen", 2), {"pen": 5}), (({"pen": 3}, "ink", 4), {"pen": 3, "ink": 4})],
    )


@checks.question(
    "word-index",
    objective="use-dicts",
    hints=[
        "Lower-case each word first; its first letter is the key.",
        "Collect words in a set per letter (`index.setdefault(key, set()).add(word)`), then sort each.",
    ],
    solution=(
        "def word_index(words):\n    index = {}\n    for word in words:\n"
        "        word = word.lower()\n        index.setdefault(word[0], set()).add(word)\n"
        "    return {letter: sorted(found) for letter, found in index.items()}"
    ),
    show_solution=AFTER_TWO,
)
def word_index(ns):
    _expect(
        ns["word_index"],
        "word_index",
        [((["Bee", "ant", "bat", "bee"],), {"b": ["bat", "bee"], "a": ["ant"]}), (([],), {})],
    )


@checks.question(
    "split-time",
    objective="tuples-and-sets",
    hints=[
        "`return seconds // 60, seconds % 60` returns a tuple.",
        "Tuples compare value by value, so `max(a, b)` or `a if a >= b else b` works.",
    ],
    solution=(
        "def split_time(seconds):\n    return seconds // 60, seconds % 60\n\n\n"
        "def longer(a, b):\n    return a if a >= b else b"
    ),
    show_solution=AFTER_TWO,
)
def split_time(ns):
    _expect(ns["split_time"], "split_time", [((125,), (2, 5)), ((59,), (0, 59))])
    _expect(ns["longer"], "longer", [(((2, 5), (1, 59)), (2, 5)), (((3, 1), (3, 40)), (3, 40))])


@checks.question(
    "new-visitors",
    objective="tuples-and-sets",
    hints=["`set(today) - set(before)`, then `sorted(...)`."],
    solution="def new_visitors(today, before):\n    return sorted(set(today) - set(before))",
    show_solution=AFTER_TWO,
)
def new_visitors(ns):
    _expect(
        ns["new_visitors"],
        "new_visitors",
        [((["ana", "dee", "eve", "dee"], ["ana", "ben"]), ["dee", "eve"]), ((["x"], ["x"]), [])],
    )


@checks.question(
    "club-report",
    objective="tuples-and-sets",
    hints=[
        "With `sa, sb = set(a), set(b)`: `sa & sb`, `sa - sb` and `sb - sa`, each sorted.",
        "In `summary`: `both, only_a, only_b = club_report(a, b)`, then an f-string with `len(...)`.",
    ],
    solution=(
        "def club_report(a, b):\n    sa, sb = set(a), set(b)\n"
        "    return sorted(sa & sb), sorted(sa - sb), sorted(sb - sa)\n\n\n"
        "def summary(a, b):\n    both, only_a, only_b = club_report(a, b)\n"
        '    return f"{len(both)} in both, {len(only_a)} only in a, {len(only_b)} only in b"'
    ),
    show_solution=AFTER_TWO,
)
def club_report(ns):
    a, b = ["mo", "lu", "mo", "ji"], ["lu", "ji", "zo", "ka", "ra"]
    _expect(
        ns["club_report"], "club_report", [((a, b), (["ji", "lu"], ["mo"], ["ka", "ra", "zo"]))]
    )
    _expect(ns["summary"], "summary", [((a, b), "2 in both, 1 only in a, 3 only in b")])
