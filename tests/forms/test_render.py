"""Filling a form's values into code and Markdown, and the values themselves (no kernel)."""

from __future__ import annotations

import random

import pytest

from mastery_nb.checks import Checks, fail
from mastery_nb.forms.keys import course_key, learner_seed
from mastery_nb.forms.render import references, render_code, render_markdown
from mastery_nb.forms.values import FormError, FormValues, draw, normalise_values, preview_seed

VALUES = {"a": 437, "neg": -3, "name": "Oslo", "prices": [2.4, 3.15], "rate": 0.8125}


def test_code_references_become_literals_and_nothing_else_changes() -> None:
    source = (
        "a = form.a  # form.a stays in a comment\n"
        's = "form.name"\n'
        "x = form.neg ** 2 + form.neg\n"
        "total = sum(form.prices)\n"
        "other = self.form.a + form.unknown\n"
    )
    assert render_code(source, VALUES) == (
        "a = 437  # form.a stays in a comment\n"
        's = "form.name"\n'
        "x = (-3) ** 2 + -3\n"
        "total = sum([2.4, 3.15])\n"
        "other = self.form.a + form.unknown\n"
    )
    assert references("code", source) == ["a", "neg", "neg", "prices", "unknown"]
    # what rendering writes evaluates to the values
    namespace: dict[str, object] = {}
    exec(render_code("v = form.rate\nn = form.name\nq = form.neg ** 2", VALUES), namespace)
    assert (namespace["v"], namespace["n"], namespace["q"]) == (0.8125, "Oslo", 9)


def test_code_that_tokenize_cannot_read_still_renders() -> None:
    source = "%matplotlib inline\nx = form.a\n!echo form.name"
    assert render_code(source, VALUES).splitlines()[1] == "x = 437"


def test_markdown_references_take_a_format_spec() -> None:
    text = "It rained {{ form.a }} minutes in {{form.name}}; humidity {{ form.rate:.0% }}; {{ form.prices }}; {{ form.nope }}."
    assert render_markdown(text, VALUES) == (
        "It rained 437 minutes in Oslo; humidity 81%; 2.4, 3.15; {{ form.nope }}."
    )
    assert references("markdown", text) == ["a", "name", "rate", "prices", "nope"]


def test_form_values_are_read_only_copies() -> None:
    form = FormValues(VALUES, unit="u", number=2)
    assert (form.a, form["name"], form.number, form.preview) == (437, "Oslo", 2, False)
    form.prices.append(9)
    assert form.prices == [2.4, 3.15]
    with pytest.raises(AttributeError, match="has no value 'b'"):
        _ = form.b
    with pytest.raises(AttributeError):
        form.a = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"x": object()}, "is a object"),
        ({"x": float("nan")}, "not a finite number"),
        ({"2x": 1}, "cannot name a form value"),
        ({"keys": 1}, "already means something"),
        ([1, 2], "not a dict"),
        ({"x": "y" * 300_000}, "KB as JSON"),
    ],
)
def test_what_cannot_be_a_form_is_said_in_words(values: object, words: str) -> None:
    with pytest.raises(FormError, match=words):
        normalise_values(values)


def test_the_same_seed_draws_the_same_form_and_tuples_travel_as_lists() -> None:
    def fn(rng: random.Random) -> dict[str, object]:
        return {"b": rng.randint(1, 10**9), "a": (rng.random(), "x")}

    assert draw(fn, 7) == draw(fn, 7) != draw(fn, 8)
    assert list(draw(fn, 7)) == ["a", "b"] and isinstance(draw(fn, 7)["a"], list)
    assert preview_seed("c", "u") == preview_seed("c", "u") != preview_seed("c", "v")


def test_the_course_key_is_made_once_and_private(tmp_path) -> None:
    key = course_key(tmp_path, "intro")
    assert course_key(tmp_path, "intro") == key and len(key) == 32
    path = tmp_path / "form-keys" / "intro.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert course_key(tmp_path, "other") != key
    seeds = {learner_seed(key, "intro", "u", who, n) for who in ("ada", "bob") for n in (1, 2)}
    assert len(seeds) == 4
    path.write_text("not a key")
    with pytest.raises(ValueError, match="restore it from a backup"):
        course_key(tmp_path, "intro")


def test_checks_with_a_form_judge_each_form_by_its_own_values() -> None:
    checks = Checks(unit="u", course="c")

    @checks.form
    def form(rng: random.Random) -> dict[str, int]:
        return {"a": rng.randint(10, 99), "b": rng.randint(2, 9)}

    @checks.question("rem", objective="o", hints=["Use % {{ form.b }}"])
    def rem(ns, form):  # type: ignore[no-untyped-def]
        if ns["r"] != form.a % form.b:
            fail("not the remainder")

    checks.numeric(
        "q", objective="o", prompt="{{ form.a }} % {{ form.b }}?", answer=lambda f: f.a % f.b
    )
    for number, values in ((1, {"a": 17, "b": 5}), (2, {"a": 23, "b": 4})):
        checks.bind(namespace={"r": 2}, form=FormValues(values, unit="u", number=number))
        assert checks.run("rem", record=False).status == ("correct" if number == 1 else "incorrect")
        assert checks.score("q", 2).status == ("correct" if number == 1 else "incorrect")
        assert checks.quiz_question("q").prompt == f"{values['a']} % {values['b']}?"
        assert checks._hints_of("rem") == (f"Use % {values['b']}",)
        assert checks.answers_key == f"u@form-{number}"
    preview = Checks(unit="u", course="c")
    preview.form(form)
    assert preview.values.preview and preview.answers_key == "u"
