"""Practice checks for unit sampling-simulation (Sampling and simulation): placeholders until the unit is written."""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="sampling-simulation")


@checks.question(
    "random-samples-placeholder",
    objective="random-samples",
    hints=["Return the parameter itself."],
)
def random_samples_placeholder(ns):
    if ns["echo_random_samples"](3) != 3:
        fail("`echo_random_samples(3)` should return 3")


@checks.question(
    "simulate-chance-placeholder",
    objective="simulate-chance",
    hints=["Return the parameter itself."],
)
def simulate_chance_placeholder(ns):
    if ns["echo_simulate_chance"](3) != 3:
        fail("`echo_simulate_chance(3)` should return 3")


@checks.question(
    "sampling-variability-placeholder",
    objective="sampling-variability",
    hints=["Return the parameter itself."],
)
def sampling_variability_placeholder(ns):
    if ns["echo_sampling_variability"](3) != 3:
        fail("`echo_sampling_variability(3)` should return 3")
