"""Practice checks for unit python-basics (Values, variables and decisions): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail, not_attempted

checks = Checks(unit="python-basics")


@checks.question(
    "receipt-total",
    objective="use-variables",
    hints=[
        "Multiply the price of one coffee by the number of coffees; do the same for cake.",
        "Add the two amounts and store the sum in `total`.",
    ],
    solution="total = coffees * coffee_price + cakes * cake_price",
    show_solution="after_attempts:3",
)
def receipt_total(ns):
    receipt = ns["receipt_total"]
    for args in ((2.40, 3.15, 2, 1), (1.25, 2.0, 1, 3)):
        got = receipt(*args)
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            fail(f"`receipt_total{args}` returned a {type(got).__name__}; it should be a number")
        coffee, cake, coffees, cakes = args
        if abs(got - round(coffee + cake, 2)) < 1e-9 and (coffees, cakes) != (1, 1):
            fail(
                f"`receipt_total{args}` returned {got}: one coffee and one cake; use `coffees` and `cakes`"
            )
        if abs(got - round(coffees * coffee + cakes * cake, 2)) > 1e-9:
            fail(f"`receipt_total{args}` returned {got}, which is not the price of that order")


checks.single_choice(
    "comparison-result",
    objective="use-conditionals",
    prompt="What is the value of `3 < 2 or 10 > 5`?",
    options=["True", "False"],
    answer="True",
)


@checks.question(
    "work-with-strings-placeholder",
    objective="work-with-strings",
    hints=["Return the parameter itself."],
)
def work_with_strings_placeholder(ns):
    if ns["echo_work_with_strings"](3) != 3:
        fail("`echo_work_with_strings(3)` should return 3")


@checks.question(
    "use-conditionals-placeholder",
    objective="use-conditionals",
    hints=["Return the parameter itself."],
)
def use_conditionals_placeholder(ns):
    if ns["echo_use_conditionals"](3) != 3:
        fail("`echo_use_conditionals(3)` should return 3")
