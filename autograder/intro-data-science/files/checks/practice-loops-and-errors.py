"""Checked practice of the correctives and challenges of unit loops-and-errors.

Used by ``resources/loops-and-errors/*.ipynb`` (``load_checks("practice-loops-and-errors")``).
Practice only: nothing here is graded, and worked solutions (whole functions, so the
content tests can run them) open after a few checks.
"""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-loops-and-errors")

AFTER_TWO = "after_attempts:2"


def _expect(fn, name, cases):
    """Fail with the first case where ``fn(*args)`` differs from its expected value."""
    for args, expected in cases:
        call = f"{name}({', '.join(repr(a) for a in args)})"
        got = fn(*args)
        if got is None and expected is not None:
            fail(f"`{call}` returned None: replace `None` with your computation")
        if got != expected or type(got) is not type(expected):
            fail(f"`{call}` returned {got!r}, not {expected!r}")


def _raises(fn, name, args, error):
    call = f"{name}({', '.join(repr(a) for a in args)})"
    try:
        got = fn(*args)
    except error:
        return
    except Exception as other:
        fail(f"`{call}` raised {type(other).__name__}; it should raise {error.__name__}")
    fail(f"`{call}` returned {got!r}; it should raise {error.__name__}")


@checks.question(
    "count-digits",
    objective="while-loops",
    hints=["Count turns of `while n >= 10: n = n // 10`, starting from 1 digit."],
    solution="def count_digits(n):\n    digits = 1\n    while n >= 10:\n        n = n // 10\n        digits += 1\n    return digits",
    show_solution=AFTER_TWO,
)
def count_digits(ns):
    _expect(ns["count_digits"], "count_digits", [((0,), 1), ((7,), 1), ((10,), 2), ((98765,), 5)])


@checks.question(
    "weeks-to-save",
    objective="while-loops",
    hints=["`weeks = 0`; `while start < goal:` add `per_week` to `start` and 1 to `weeks`."],
    solution=(
        "def weeks_to_save(start, per_week, goal):\n    weeks = 0\n    while start < goal:\n"
        "        start += per_week\n        weeks += 1\n    return weeks"
    ),
    show_solution=AFTER_TWO,
)
def weeks_to_save(ns):
    _expect(
        ns["weeks_to_save"], "weeks_to_save", [((0, 10, 35), 4), ((50, 5, 50), 0), ((12, 4, 20), 2)]
    )


@checks.question(
    "guesses-needed",
    objective="while-loops",
    hints=[
        "Loop forever-until-found: `guesses += 1`, `guess = (low + high) // 2`, compare with the secret.",
        "Too high: `high = guess - 1`; too low: `low = guess + 1`; equal: return the count.",
    ],
    solution=(
        "def guesses_needed(secret, low, high):\n    guesses = 0\n    while True:\n"
        "        guesses += 1\n        guess = (low + high) // 2\n        if guess == secret:\n"
        "            return guesses\n        if guess > secret:\n            high = guess - 1\n"
        "        else:\n            low = guess + 1"
    ),
    show_solution=AFTER_TWO,
)
def guesses_needed(ns):
    fn = ns["guesses_needed"]
    _expect(
        fn,
        "guesses_needed",
        [((50, 1, 100), 1), ((25, 1, 100), 2), ((1, 1, 100), 6), ((3, 3, 3), 1)],
    )
    worst = max(fn(s, 1, 100) for s in range(1, 101))
    if worst != 7:
        fail(
            f"between 1 and 100 your function needs up to {worst} guesses; halving needs at most 7"
        )


@checks.question(
    "safe-ratio",
    objective="handle-exceptions",
    hints=["`try: return round(a / b, 2)` then `except ZeroDivisionError: return None`."],
    solution=(
        "def safe_ratio(a, b):\n    try:\n        return round(a / b, 2)\n"
        "    except ZeroDivisionError:\n        return None"
    ),
    show_solution=AFTER_TWO,
)
def safe_ratio(ns):
    fn = ns["safe_ratio"]
    _expect(fn, "safe_ratio", [((1, 3), 0.33), ((10, 4), 2.5)])
    try:
        got = fn(5, 0)
    except ZeroDivisionError:
        fail("`safe_ratio(5, 0)` raised ZeroDivisionError; catch it and return None")
    if got is not None:
        fail(f"`safe_ratio(5, 0)` returned {got!r}, not None")


@checks.question(
    "withdraw",
    objective="handle-exceptions",
    hints=[
        "Test the bad cases first: `if amount <= 0 or amount > balance: raise ValueError(...)`.",
        "Otherwise return `balance - amount`.",
    ],
    solution=(
        "def withdraw(balance, amount):\n    if amount <= 0 or amount > balance:\n"
        '        raise ValueError(f"cannot withdraw {amount} from {balance}")\n'
        "    return balance - amount"
    ),
    show_solution=AFTER_TWO,
)
def withdraw(ns):
    fn = ns["withdraw"]
    _expect(fn, "withdraw", [((100, 30), 70), ((50, 50), 0)])
    for args in ((100, 0), (100, -5), (20, 21)):
        _raises(fn, "withdraw", args, ValueError)


@checks.question(
    "read-number",
    objective="handle-exceptions",
    hints=[
        'Clean first: `strip()`, remove spaces, turn "," into ".".',
        'If it ends with "%", convert the rest and divide by 100.',
        'Wrap `float(...)` in try/except ValueError and raise `ValueError(f"cannot read {text!r}")`.',
    ],
    solution=(
        "def read_number(text):\n"
        '    cleaned = text.strip().replace(" ", "").replace(",", ".")\n'
        "    scale = 1\n"
        '    if cleaned.endswith("%"):\n'
        "        cleaned = cleaned[:-1]\n        scale = 100\n"
        "    try:\n        return float(cleaned) / scale\n"
        "    except ValueError:\n"
        '        raise ValueError(f"cannot read {text!r} as a number") from None'
    ),
    show_solution=AFTER_TWO,
)
def read_number(ns):
    fn = ns["read_number"]
    _expect(
        fn,
        "read_number",
        [((" 3.5 ",), 3.5), (("1,5",), 1.5), (("12 000",), 12000.0), (("12%",), 0.12)],
    )
    for text in ("abc", "1.2.3", ""):
        _raises(fn, "read_number", (text,), ValueError)
        try:
            fn(text)
        except ValueError as error:
            if repr(text) not in str(error) and text not in str(error):
                fail(f"the ValueError for {text!r} should name the text it could not read")


@checks.question(
    "fix-first-letters",
    objective="read-tracebacks",
    hints=[
        "IndexError on `w[0]`: which word has no position 0?",
        "Keep only non-empty words: `[w[0] for w in words if w]`.",
    ],
    solution="def first_letters(words):\n    return [w[0] for w in words if w]",
    show_solution=AFTER_TWO,
)
def fix_first_letters(ns):
    fn = ns["first_letters"]
    try:
        _expect(
            fn, "first_letters", [((["sea", "", "sky"],), ["s", "s"]), ((["a", "bc"],), ["a", "b"])]
        )
    except IndexError:
        fail("`first_letters` still raises an IndexError on an empty word")


@checks.question(
    "fix-total-minutes",
    objective="read-tracebacks",
    hints=[
        "The TypeError mixes int and str: what type do the pieces of `t.split(':')` have?",
        "Convert them: `int(hours) * 60 + int(minutes)`.",
    ],
    solution=(
        "def total_minutes(times):\n    total = 0\n    for t in times:\n"
        '        hours, minutes = t.split(":")\n        total += int(hours) * 60 + int(minutes)\n'
        "    return total"
    ),
    show_solution=AFTER_TWO,
)
def fix_total_minutes(ns):
    fn = ns["total_minutes"]
    try:
        _expect(fn, "total_minutes", [((["1:30", "0:45"],), 135), (([],), 0), ((["2:05"],), 125)])
    except TypeError:
        fail("`total_minutes` still raises a TypeError: convert the text pieces to numbers")


@checks.question(
    "fix-grade-report",
    objective="read-tracebacks",
    hints=[
        "First traceback: a number added to text. Use `str(score)` or an f-string.",
        "Second: `None / 20`. Skip absent students (`if score is None: continue`).",
        "Third: a NameError. Which list did you mean to join?",
    ],
    solution=(
        "def grade_report(scores):\n    parts = []\n    for name in sorted(scores):\n"
        "        score = scores[name]\n        if score is None:\n            continue\n"
        "        percent = score / 20 * 100\n"
        '        parts.append(f"{name}: {score}/20 ({percent:.0f}%)")\n'
        '    return "; ".join(parts)'
    ),
    show_solution=AFTER_TWO,
)
def fix_grade_report(ns):
    fn = ns["grade_report"]
    try:
        _expect(
            fn,
            "grade_report",
            [
                (({"Ben": 12, "Ana": 15, "Cy": None},), "Ana: 15/20 (75%); Ben: 12/20 (60%)"),
                (({"Di": 20},), "Di: 20/20 (100%)"),
                (({},), ""),
            ],
        )
    except (TypeError, NameError) as error:
        fail(f"`grade_report` still raises {type(error).__name__}: {error}")
