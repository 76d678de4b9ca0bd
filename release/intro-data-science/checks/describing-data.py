"""Practice checks and quizzes for unit describing-data (Describing and plotting data).

Plot checks inspect the returned matplotlib figure (bars, points, labels), call the
learner's plotting functions on a small sample frame with missing values, and close every
figure they create.
"""

import math

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="describing-data")


def _sample():
    """A small frame with a missing body mass, so mishandled NaNs show up."""
    return pd.DataFrame(
        {
            "species": ["Adelie", "Adelie", "Gentoo", "Gentoo", "Chinstrap", "Adelie"],
            "bill_length_mm": [38.0, 40.0, 47.0, 49.0, 48.0, 39.0],
            "flipper_length_mm": [185, 190, 215, 220, 195, 188],
            "body_mass_g": [3600.0, None, 5000.0, 5200.0, 3800.0, 3500.0],
        }
    )


def _close(fig):
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:
        pass


def _figure(result, call):
    from matplotlib.figure import Figure

    if result is None:
        fail(f"{call} returned None; end the function with `return fig`")
    if not isinstance(result, Figure):
        fail(f"{call} returned a {type(result).__name__}; return the Figure from plt.subplots()")
    if len(result.axes) != 1:
        _close(result)
        fail(f"{call} made a figure with {len(result.axes)} axes; draw on exactly one")
    return result, result.axes[0]


@checks.question(
    "mean-mass",
    objective="summary-statistics",
    hints=[
        "Series.mean() already skips missing values; do not replace them with 0.",
        "round(value, 1) rounds to one decimal; Series.count() counts the values present.",
    ],
    solution=(
        'def mean_mass(df):\n    return round(df["body_mass_g"].mean(), 1)\n\n'
        'median_mass = penguins["body_mass_g"].median()\n'
        'n_weighed = int(penguins["body_mass_g"].count())'
    ),
    show_solution="after_attempts:4",
)
def mean_mass(ns):
    fn = ns["mean_mass"]
    if not callable(fn):
        fail("`mean_mass` should be a function")
    got = fn(_sample())
    if got is None:
        fail("mean_mass(sample) returned None; return the mean")
    if isinstance(got, (pd.Series, pd.DataFrame)):
        fail("mean_mass returned a pandas object; select the body_mass_g column and return one number")
    if isinstance(got, float) and math.isnan(got):
        fail("mean_mass returned nan for the sample frame; check how you handle missing values")
    sample = _sample()
    if abs(got - round(sample["body_mass_g"].fillna(0).mean(), 1)) < 0.05:
        fail(f"`mean_mass` returned {got} for the sample frame; a missing mass was counted as 0 g, "
             "check how you handle missing values")
    if abs(got - round(sample["body_mass_g"].mean(), 1)) > 0.05:
        fail(f"`mean_mass` returned {got} for the sample frame; it should be the mean body mass of the weighed penguins")
    if round(got, 1) != got:
        fail(f"`mean_mass` returned {got}; round it to 1 decimal")
    penguins = ns["penguins"]
    med = ns["median_mass"]
    if med == penguins["body_mass_g"].mean():
        fail("`median_mass` is the mean; use .median()")
    if med != penguins["body_mass_g"].median():
        fail(f"`median_mass` is {med}, which is not the median body mass of `penguins`")
    nw = ns["n_weighed"]
    if nw == len(penguins):
        fail("`n_weighed` counts every penguin; count only those with a body mass")
    if nw != penguins["body_mass_g"].count():
        fail(f"`n_weighed` is {nw}; count the non-missing body masses")


@checks.question(
    "spread",
    objective="summary-statistics",
    hints=[
        's.quantile(0.75) - s.quantile(0.25) is the IQR of a Series s.',
        'penguins.groupby("species")["body_mass_g"].agg(["mean", "median", "std"])',
    ],
)
def spread(ns):
    penguins = ns["penguins"]
    s = penguins["flipper_length_mm"]
    iqr = ns["flipper_iqr"]
    if isinstance(iqr, (pd.Series, pd.DataFrame)):
        fail("`flipper_iqr` is a pandas object; subtract the two quantiles to get one number")
    if abs(iqr - (s.quantile(0.25) - s.quantile(0.75))) < 1e-9:
        fail("`flipper_iqr` is negative: subtract Q1 from Q3, not the other way round")
    if abs(iqr - (s.max() - s.min())) < 1e-9:
        fail("`flipper_iqr` is the full range (max - min); the IQR uses the quartiles")
    if abs(iqr - (s.quantile(0.75) - s.quantile(0.25))) > 1e-9:
        fail(f"`flipper_iqr` is {iqr}; compute Q3 - Q1 of flipper_length_mm")
    mbs = ns["mass_by_species"]
    if not isinstance(mbs, pd.DataFrame):
        fail(f"`mass_by_species` should be a DataFrame, got a {type(mbs).__name__}")
    if list(mbs.columns) != ["mean", "median", "std"]:
        fail(f"`mass_by_species` has columns {list(mbs.columns)}; it should have mean, median and std in that order")
    want = penguins.groupby("species")["body_mass_g"].agg(["mean", "median", "std"])
    if set(mbs.index) != set(want.index):
        fail("`mass_by_species` should have one row per species, indexed by species")
    if ((mbs.loc[want.index] - want).abs() > 1e-6).any().any():
        fail("`mass_by_species` has wrong values; aggregate the body_mass_g column")


@checks.question(
    "mass-histogram",
    objective="plot-distributions",
    hints=[
        'fig, ax = plt.subplots(); ax.hist(df["body_mass_g"].dropna(), bins=bins)',
        "Label with ax.set_title, ax.set_xlabel, ax.set_ylabel, then `return fig`.",
    ],
)
def mass_histogram(ns):
    fn = ns["plot_mass_histogram"]
    if not callable(fn):
        fail("`plot_mass_histogram` should be a function")
    sample = _sample()
    fig, ax = _figure(fn(sample, bins=4), "plot_mass_histogram(sample, bins=4)")
    try:
        bars = [p for p in ax.patches if hasattr(p, "get_height")]
        if not bars:
            fail("the figure has no histogram bars; draw with ax.hist")
        if len(bars) != 4:
            fail(f"plot_mass_histogram(sample, bins=4) drew {len(bars)} bars; pass `bins` on to ax.hist")
        total = sum(p.get_height() for p in bars)
        if total != sample["body_mass_g"].count():
            fail(f"the histogram counts {total:g} penguins but {sample['body_mass_g'].count()} were weighed; "
                 "check how you handle missing values")
        if not ax.get_title():
            fail("the histogram has no title; add one with ax.set_title")
        if ax.get_xlabel() != "body mass (g)":
            fail(f"the x label is {ax.get_xlabel()!r}; use exactly 'body mass (g)'")
        if ax.get_ylabel() != "number of penguins":
            fail(f"the y label is {ax.get_ylabel()!r}; use exactly 'number of penguins'")
    finally:
        _close(fig)


@checks.question(
    "bill-vs-flipper",
    objective="plot-distributions",
    hints=[
        'for species, group in df.groupby("species"): ax.scatter(group["flipper_length_mm"], group["bill_length_mm"], label=species)',
        "ax.legend() shows the labels; x is flipper length, y is bill length.",
    ],
)
def bill_vs_flipper(ns):
    fn = ns["plot_bill_vs_flipper"]
    if not callable(fn):
        fail("`plot_bill_vs_flipper` should be a function")
    sample = _sample()
    fig, ax = _figure(fn(sample), "plot_bill_vs_flipper(sample)")
    try:
        groups = ax.collections
        if not groups:
            fail("the figure has no scatter points; draw with ax.scatter")
        n_species = sample["species"].nunique()
        if len(groups) != n_species:
            fail(f"the scatter plot has {len(groups)} point groups for {n_species} species; "
                 "make one scatter call per species")
        points = sum(len(c.get_offsets()) for c in groups)
        if points != len(sample):
            fail(f"the scatter plot shows {points} points for {len(sample)} penguins")
        xs = sorted(float(x) for c in groups for x, _ in c.get_offsets())
        if xs == sorted(sample["bill_length_mm"]):
            fail("the axes are swapped: flipper length goes on x, bill length on y")
        legend = ax.get_legend()
        if legend is None:
            fail("the plot has no legend; call ax.legend() after labelling each scatter")
        labels = sorted(t.get_text() for t in legend.get_texts())
        if labels != sorted(sample["species"].unique()):
            fail(f"the legend shows {labels}; label each scatter call with its species name")
        if not ax.get_title():
            fail("the plot has no title")
        xl, yl = ax.get_xlabel().lower(), ax.get_ylabel().lower()
        if "flipper" not in xl or "mm" not in xl:
            fail(f"the x label {ax.get_xlabel()!r} should name the flipper length and its unit (mm)")
        if "bill" not in yl or "mm" not in yl:
            fail(f"the y label {ax.get_ylabel()!r} should name the bill length and its unit (mm)")
    finally:
        _close(fig)


checks.single_choice(
    "robust-statistic",
    objective="summary-statistics",
    prompt="A few body masses were typed 1000 times too large. Which statistic is least affected?",
    options=["the mean", "the median", "the standard deviation", "the maximum"],
    answer="the median",
)

checks.single_choice(
    "choose-plot",
    objective="plot-distributions",
    prompt="Which plot best shows whether heavier penguins also have longer flippers?",
    options=[
        "a histogram of body mass",
        "a scatter plot of flipper length against body mass",
        "a bar chart of the number of penguins per species",
        "a pie chart of the species",
    ],
    answer="a scatter plot of flipper length against body mass",
)
