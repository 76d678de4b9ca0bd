"""Practice checks and quizzes for unit loops-and-errors (While loops and errors).

Each check calls the learner's function on the notebook's data and one or two other
examples, compares with expected results written out here, and names what is wrong. The
graded tests use yet other inputs. A learner's function that never returns is stopped by
the kernel's interrupt, like any cell. Worked solutions open once the unit is mastered.
Public: shipped as-is to students and the grader.
"""

import inspect

from mastery_nb.checks import Checks, fail, not_attempted

checks = Checks(unit="loops-and-errors")

MASTERED = "after_mastery"


def _call(fn, *args):
    got = fn(*args)
    return got, f"{getattr(fn, '__name__', 'function')}({', '.join(repr(a) for a in args)})"


def _raises(fn, value):
    """The exception class ``fn(value)`` raises, or None when it returns."""
    try:
        fn(value)
    except Exception as error:  # the learner's error is what we inspect
        return type(error)
    return None


def _not_fixed_yet(fn, bug):
    """Not attempted while ``fn`` is still the set-up cell's function that has the bug."""
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        return
    if bug in source:
        not_attempted(
            f"`{fn.__name__}` is still the function with the bug from the set-up cell: "
            "write a corrected version in the answer cell and run it"
        )


# -- while-loops ----------------------------------------------------------------------


@checks.question(
    "years-to-double",
    objective="while-loops",
    hints=[
        "Start with `balance = 1` and `years = 0`.",
        "`while balance < 2:` grow the balance by the rate and add 1 to `years`.",
    ],
    solution=(
        "def years_to_double(rate_percent):\n    balance = 1\n    years = 0\n"
        "    while balance < 2:\n        balance = balance * (1 + rate_percent / 100)\n"
        "        years += 1\n    return years"
    ),
    show_solution=MASTERED,
)
def years_to_double(ns):
    fn = ns["years_to_double"]
    for rate, expected in ((7, 11), (3, 24), (50, 2)):
        got, call = _call(fn, rate)
        if got is None:
            fail(f"`{call}` returned None: return the number of years")
        if got == expected - 1:
            fail(f"`{call}` returned {got}: after that many years the amount has not doubled yet")
        if got == expected + 1:
            fail(f"`{call}` returned {got}: one year too many; loop *while* the balance is below 2")
        if got != expected:
            fail(f"`{call}` returned {got!r}, which is not the doubling time")


@checks.question(
    "halvings",
    objective="while-loops",
    hints=[
        "Count the turns of `while n > 1:` in which `n = n // 2`.",
        "Test your function with 1: it should return 0 without entering the loop.",
    ],
    solution=(
        "def halvings(n):\n    count = 0\n    while n > 1:\n        n = n // 2\n"
        "        count += 1\n    return count"
    ),
    show_solution=MASTERED,
)
def halvings(ns):
    fn = ns["halvings"]
    for value, expected in ((1000, 9), (37, 5), (8, 3), (1, 0)):
        got, call = _call(fn, value)
        if got != expected:
            hint = " (it should stop at 1, not at 0)" if got == expected + 1 else ""
            fail(f"`{call}` returned {got!r}, which is not the number of halvings{hint}")


@checks.question(
    "first-over",
    objective="while-loops",
    hints=[
        "Start at `i = 0` and move on while `i < len(values) and values[i] <= limit`.",
        "After the loop, `i == len(values)` means nothing was found: return -1.",
    ],
    solution=(
        "def first_over(values, limit):\n    i = 0\n"
        "    while i < len(values) and values[i] <= limit:\n        i += 1\n"
        "    if i == len(values):\n        return -1\n    return i"
    ),
    show_solution=MASTERED,
)
def first_over(ns):
    fn = ns["first_over"]
    norway = [72.67, 73.44, 73.47, 74.08, 74.34, 75.37, 75.97, 75.89, 77.32, 78.32, 79.05, 80.2]
    for args, expected in (
        ((norway, 75), 5),
        (([3, 7, 7], 6), 1),
        (([3, 7], 7), -1),
        (([], 1), -1),
    ):
        try:
            got, call = _call(fn, *args)
        except IndexError:
            fail(
                f"`first_over({args[0]!r}, {args[1]!r})` read past the end of the list; "
                "test `i < len(values)` before `values[i]`"
            )
        if expected >= 0 and got != expected and got == args[0][expected]:
            fail(f"`{call}` returned {got!r}: return the position, not the value")
        if got != expected:
            fail(f"`{call}` returned {got!r}, not the position of the first value over {args[1]}")


checks.numeric(
    "loop-turns",
    objective="while-loops",
    prompt="How many times does the body of `n = 10; while n > 1: n = n // 2` run?",
    answer=3,
    tolerance=0,
    hints=["Write down n after each turn: 5, ..."],
)

checks.single_choice(
    "endless-loop",
    objective="while-loops",
    prompt="Which change makes `count = 10; while count > 0: print(count)` count down and stop?",
    options=[
        "add `count = count - 1` inside the loop, after the print",
        "add `count = count - 1` after the loop",
        "change `>` to `>=`",
        "put `count = 10` inside the loop",
    ],
    answer="add `count = count - 1` inside the loop, after the print",
    hints=["The condition can only become False if something in the body changes `count`."],
)

# -- handle-exceptions ----------------------------------------------------------------


@checks.question(
    "safe-float",
    objective="handle-exceptions",
    hints=[
        "Put `return float(text)` inside `try:`.",
        "`except ValueError:` then `return None`. Catch only ValueError.",
    ],
    solution=(
        "def safe_float(text):\n    try:\n        return float(text)\n"
        "    except ValueError:\n        return None"
    ),
    show_solution=MASTERED,
)
def safe_float(ns):
    fn = ns["safe_float"]
    for text, expected in (("12.5", 12.5), (" 7 ", 7.0), ("n/a", None), ("", None), ("-4", -4.0)):
        try:
            got, call = _call(fn, text)
        except ValueError:
            fail(
                f"`safe_float({text!r})` raised a ValueError; catch it with try/except and return None"
            )
        if got != expected or (expected is None and got is not None):
            fail(f"`{call}` returned {got!r}, not {expected!r}")


@checks.question(
    "check-age",
    objective="handle-exceptions",
    hints=[
        "First `if not isinstance(age, int): raise TypeError(...)`.",
        'Then `if age < 0 or age > 130: raise ValueError("...")`; otherwise return the age.',
    ],
    solution=(
        "def check_age(age):\n    if not isinstance(age, int):\n"
        '        raise TypeError(f"age must be a whole number, got {age!r}")\n'
        "    if age < 0 or age > 130:\n"
        '        raise ValueError(f"age must be between 0 and 130, got {age}")\n    return age'
    ),
    show_solution=MASTERED,
)
def check_age(ns):
    fn = ns["check_age"]
    for age in (34, 0, 130):
        raised = _raises(fn, age)
        if raised is not None:
            fail(f"`check_age({age})` raised {raised.__name__}; {age} is a valid age")
        if fn(age) != age:
            fail(f"`check_age({age})` should return the age")
    for age, expected in ((-2, ValueError), (131, ValueError), ("40", TypeError), (4.5, TypeError)):
        raised = _raises(fn, age)
        if raised is None:
            fail(f"`check_age({age!r})` returned instead of raising {expected.__name__}")
        if raised is not expected:
            fail(
                f"`check_age({age!r})` raised {raised.__name__}; it should raise {expected.__name__}"
            )


@checks.question(
    "average-reading",
    objective="handle-exceptions",
    hints=[
        "Keep the readings that convert: `[safe_float(t) for t in texts if safe_float(t) is not None]`.",
        "Compute the average inside `try:`; `except ZeroDivisionError: return None`.",
    ],
    solution=(
        "def average_reading(texts):\n"
        "    good = [safe_float(t) for t in texts if safe_float(t) is not None]\n"
        "    try:\n        return round(sum(good) / len(good), 2)\n"
        "    except ZeroDivisionError:\n        return None"
    ),
    show_solution=MASTERED,
)
def average_reading(ns):
    fn = ns["average_reading"]
    for texts, expected in ((["12.5", "n/a", " 7 ", ""], 9.75), (["5", "6"], 5.5), (["n/a"], None)):
        try:
            got, call = _call(fn, texts)
        except ZeroDivisionError:
            fail(
                f"`average_reading({texts!r})` raised ZeroDivisionError; handle it and return None"
            )
        except TypeError:
            fail(f"`average_reading({texts!r})` raised TypeError: skip the readings that are None")
        if got != expected or (expected is None and got is not None):
            fail(
                f"`{call}` returned {got!r}, not {expected!r}: average only the readings that are numbers"
            )


checks.single_choice(
    "which-error",
    objective="handle-exceptions",
    prompt='Which exception does `int("abc")` raise?',
    options=["TypeError", "ValueError", "KeyError", "SyntaxError"],
    answer="ValueError",
    hints=["The type (a string) is acceptable to `int`; the value is not."],
)

checks.single_choice(
    "try-flow",
    objective="handle-exceptions",
    prompt="What does the try/except example print?",
    options=["a c", "b c", "a b c", "b"],
    answer="b c",
    hints=["The rest of the `try` block is skipped once the error happens."],
)

# -- read-tracebacks ------------------------------------------------------------------


@checks.question(
    "fix-describe",
    objective="read-tracebacks",
    hints=[
        "The last line of the traceback: you cannot add a number to a string.",
        "Turn the temperature into text first: `str(temp_c)` (or use an f-string).",
    ],
    solution='def describe(city, temp_c):\n    label = city + ": "\n    return label + str(temp_c) + " °C"',
    show_solution=MASTERED,
)
def fix_describe(ns):
    fn = ns["describe"]
    _not_fixed_yet(fn, "label + temp_c +")
    for args, expected in ((("Lima", 19.5), "Lima: 19.5 °C"), (("Oslo", 4), "Oslo: 4 °C")):
        try:
            got, call = _call(fn, *args)
        except TypeError:
            fail(f"`describe{args}` still raises a TypeError; read the last line of the traceback")
        if got != expected:
            fail(f"`{call}` returned {got!r}, not {expected!r}: fix the bug, change nothing else")


@checks.question(
    "fix-last-three",
    objective="read-tracebacks",
    hints=[
        "IndexError: a position past the end. Which positions does the `range` give for 4 values?",
        "`range(a, b)` stops before `b`: the last position of a list is `len(values) - 1`.",
    ],
    solution=(
        "def last_three_average(values):\n    total = 0\n"
        "    for i in range(len(values) - 3, len(values)):\n        total += values[i]\n"
        "    return total / 3"
    ),
    show_solution=MASTERED,
)
def fix_last_three(ns):
    fn = ns["last_three_average"]
    _not_fixed_yet(fn, "len(values) + 1")
    for values, expected in (([2, 4, 6, 8], 6.0), ([3, 3, 9], 5.0)):
        try:
            got, call = _call(fn, values)
        except IndexError:
            fail(f"`last_three_average({values!r})` still raises an IndexError")
        if got != expected:
            fail(
                f"`{call}` returned {got!r}, not {expected!r}: check which positions the loop visits"
            )


@checks.question(
    "fix-price-of",
    objective="read-tracebacks",
    hints=[
        "The KeyError shows the key that was looked up: look at its end.",
        "Remove the spaces around the item as well as lowering it: `item.strip().lower()`.",
    ],
    solution="def price_of(item):\n    return PRICES[item.strip().lower()]",
    show_solution=MASTERED,
)
def fix_price_of(ns):
    fn = ns["price_of"]
    _not_fixed_yet(fn, "PRICES[item.lower()]")
    for item, expected in (("Milk ", 1.1), (" APPLE", 0.5), ("eggs", 3.4)):
        try:
            got, call = _call(fn, item)
        except KeyError as error:
            fail(
                f"`price_of({item!r})` still raises KeyError {error}; what is different about that key?"
            )
        if got != expected:
            fail(f"`{call}` returned {got!r}, not {expected!r}")


checks.single_choice(
    "failing-function",
    objective="read-tracebacks",
    prompt="In the traceback of exercise 3.3, the error was raised inside which function?",
    options=["basket_cost", "price_of", "round", "print"],
    answer="price_of",
    hints=["The line just above the error message belongs to the function that raised."],
)

checks.short_text(
    "error-type",
    objective="read-tracebacks",
    prompt="What is the type of the error in the traceback of exercise 3.1?",
    patterns=[r"^\s*TypeError\s*$"],
    answer="TypeError",
    hints=["The last line of a traceback starts with the error's type."],
)
