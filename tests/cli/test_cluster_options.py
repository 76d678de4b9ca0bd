"""``--scheduler`` / ``--gateway``: one set of options, read the same by ``grade`` and
``service`` (mastery_nb/grade/cluster_options.py), clashes named with their fix."""

from __future__ import annotations

import pytest

from mastery_nb.cli import build_parser
from mastery_nb.errors import MasteryError
from mastery_nb.grade.cluster_options import cluster_from_args
from mastery_nb.grade.gateway import GatewayTarget


def _choice(verb: str, *argv: str) -> object:
    args = build_parser(verb).parse_args([verb, *argv])
    return cluster_from_args(args)


@pytest.mark.parametrize("verb", ["grade", "service"])
def test_both_commands_choose_the_cluster_alike(verb: str) -> None:
    assert _choice(verb) is None
    assert _choice(verb, "--scheduler", "tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    url = "http://proxy-public/services/dask-gateway"
    assert _choice(verb, "--gateway", url, "--workers", "8", "--adaptive") == GatewayTarget(
        address=url, workers=8, adaptive=True
    )
    assert _choice(
        verb, "--gateway", "--gateway-cluster", "ns.abc", "--gateway-auth", "jupyterhub"
    ) == (GatewayTarget(address=None, cluster="ns.abc", auth="jupyterhub"))


@pytest.mark.parametrize(
    ("argv", "named", "fix"),
    [
        (["--gateway-cluster", "x"], "--gateway-cluster", "add --gateway URL"),
        (["--adaptive"], "--adaptive", "add --gateway URL"),
        (["--scheduler", "tcp://h:1", "--gateway", "http://g"], "--scheduler", "give one of them"),
        (
            ["--gateway", "http://g", "--gateway-cluster", "x", "--adaptive"],
            "--adaptive",
            "leave out --gateway-cluster",
        ),
    ],
)
def test_options_that_clash_are_named_with_the_fix(argv: list[str], named: str, fix: str) -> None:
    with pytest.raises(MasteryError) as raised:
        _choice("grade", *argv)
    assert str(raised.value).startswith(named + ": ")
    assert fix in str(raised.value)


@pytest.mark.parametrize("verb", ["grade", "service"])
@pytest.mark.parametrize("extra", [[], ["--scheduler", "tcp://h:1"], ["--gateway", "http://g"]])
def test_no_workers_is_refused_by_both_commands(verb: str, extra: list[str]) -> None:
    with pytest.raises(MasteryError) as raised:
        _choice(verb, "--workers", "0", *extra)
    assert str(raised.value) == "--workers: 0 is not a number of workers. Fix: give 1 or more"
