"""Practice checks and quizzes for unit lists-dicts (Lists and dictionaries)."""

from mastery_nb.checks import Checks, fail, not_attempted

checks = Checks(unit="lists-dicts")

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
TEMPS = [12.1, 12.6, 15.0, 16.0, 18.7, 21.9]


def _need(ns, *names):
    missing = [n for n in names if n not in ns]
    if missing:
        not_attempted(f"define {', '.join(f'`{n}`' for n in missing)} in your answer cell and run it")


def _is_list(ns, name):
    value = ns[name]
    if not isinstance(value, list):
        fail(f"`{name}` should be a list, got a {type(value).__name__}")
    return value


@checks.question(
    "positions",
    objective="index-slice-lists",
    hints=[
        "Position -1 is the last item.",
        "A slice a:b stops before b: January to March are positions 0, 1 and 2.",
    ],
    solution="last_month = months[-1]\nfirst_quarter = temps[:3]\nspring_months = months[2:5]",
    show_solution="after_attempts:3",
)
def positions(ns):
    _need(ns, "last_month", "first_quarter", "spring_months")
    if ns.get("temps") != TEMPS or ns.get("months") != MONTHS:
        fail("`temps` or `months` has been changed; run the data cell again and do not modify them")
    if ns["last_month"] != "Jun":
        fail(f"`last_month` is {ns['last_month']!r}; use a negative index for the last item")
    fq = _is_list(ns, "first_quarter")
    if len(fq) != 3:
        fail(f"`first_quarter` has {len(fq)} temperatures; January to March are three months")
    if fq != TEMPS[:3]:
        fail("`first_quarter` holds the wrong months' temperatures; positions start at 0")
    sm = _is_list(ns, "spring_months")
    if len(sm) != 3:
        fail(f"`spring_months` has {len(sm)} names; a slice stops before its end position")
    if sm != MONTHS[2:5]:
        fail(f"`spring_months` is {sm}; March is at position 2")


@checks.question(
    "comprehensions",
    objective="index-slice-lists",
    hints=[
        "[expression for t in temps] gives one new value per temperature.",
        "To keep month names, loop over zip(months, temps) and filter with `if t > 15`.",
    ],
    solution="temps_f = [t * 9 / 5 + 32 for t in temps]\nwarm_months = [m for m, t in zip(months, temps) if t > 15]",
    show_solution="after_attempts:3",
)
def comprehensions(ns):
    _need(ns, "temps_f", "warm_months")
    tf = _is_list(ns, "temps_f")
    if len(tf) != len(TEMPS):
        fail(f"`temps_f` has {len(tf)} values but `temps` has {len(TEMPS)}; convert every temperature")
    for f, c in zip(tf, TEMPS):
        if not isinstance(f, (int, float)) or abs(f - (c * 9 / 5 + 32)) > 1e-9:
            fail(f"`temps_f` has {f!r} where {c} °C should be converted; check the formula")
    wm = _is_list(ns, "warm_months")
    if any(not isinstance(m, str) for m in wm):
        fail("`warm_months` should hold month names (str), not temperatures")
    if "Mar" in wm:
        fail("`warm_months` includes March, which is exactly 15 °C: 'above 15' means > 15")
    if wm != [m for m, t in zip(MONTHS, TEMPS) if t > 15]:
        fail(f"`warm_months` is {wm}; keep the months whose temperature is above 15, in order")


@checks.question(
    "lookups",
    objective="use-dicts",
    hints=[
        'Add a key by assigning to it: country_of["Oslo"] = "Norway".',
        'd.get(key, "unknown") returns "unknown" when the key is missing.',
    ],
    solution=(
        'country_of["Oslo"] = "Norway"\ncairo_country = country_of["Cairo"]\n'
        'lima_country = country_of.get("Lima", "unknown")'
    ),
    show_solution="after_attempts:3",
)
def lookups(ns):
    _need(ns, "country_of", "cairo_country", "lima_country")
    d = ns["country_of"]
    if not isinstance(d, dict):
        fail(f"`country_of` should be a dict, got a {type(d).__name__}")
    if d.get("Oslo") != "Norway":
        fail("`country_of` does not map 'Oslo' to 'Norway' yet")
    if len(d) != 4:
        fail(f"`country_of` has {len(d)} entries; add Oslo without removing or adding others")
    if ns["cairo_country"] != d.get("Cairo"):
        fail(f"`cairo_country` is {ns['cairo_country']!r}; look it up with the key 'Cairo'")
    if ns["lima_country"] is None:
        fail("`lima_country` is None; give .get a second argument, the default 'unknown'")
    if ns["lima_country"] != "unknown":
        fail(f"`lima_country` is {ns['lima_country']!r}; Lima is missing, so the default should be used")


@checks.question(
    "counting",
    objective="use-dicts",
    hints=[
        "Start with an empty dict; for every item do counts[item] = counts.get(item, 0) + 1.",
        "max(sky_counts, key=sky_counts.get) compares keys by their counts.",
    ],
)
def counting(ns):
    _need(ns, "count_values")
    fn = ns["count_values"]
    if not callable(fn):
        fail("`count_values` should be a function")
    got = fn(["a", "b", "a"])
    if not isinstance(got, dict):
        fail(f"count_values(['a', 'b', 'a']) returned a {type(got).__name__}; return a dict")
    if got != {"a": 2, "b": 1}:
        fail(f"count_values(['a', 'b', 'a']) returned {got}; each key should map to how often it occurs")
    if fn([]) != {}:
        fail("count_values([]) should return an empty dict")
    _need(ns, "sky_counts", "most_common")
    if ns["sky_counts"] != fn(ns.get("sky", [])):
        fail("`sky_counts` is not the result of count_values(sky)")
    counts = ns["sky_counts"]
    if counts and ns["most_common"] != max(counts, key=counts.get):
        fail(f"`most_common` is {ns['most_common']!r}, which is not the observation with the largest count")


checks.multiple_choice(
    "negative-slice",
    objective="index-slice-lists",
    prompt="With values = [10, 20, 30, 40, 50], which of these equal values[-2:]?",
    options=["[40, 50]", "values[3:]", "[50]", "values[3:5]", "[30, 40]"],
    answer=["[40, 50]", "values[3:]", "values[3:5]"],
)

checks.multiple_choice(
    "dict-facts",
    objective="use-dicts",
    prompt="Which statements are true for a Python dict d?",
    options=[
        "Each key appears at most once.",
        'd["missing"] raises KeyError when "missing" is not a key.',
        'd.get("missing") returns None when "missing" is not a key.',
        "The keys are always kept in alphabetical order.",
        "A list can be used as a key.",
    ],
    answer=[
        "Each key appears at most once.",
        'd["missing"] raises KeyError when "missing" is not a key.',
        'd.get("missing") returns None when "missing" is not a key.',
    ],
)
