"""What of a unit is hidden from a grading message, and what the learner sees anyway.

A hidden test's literals are withheld from messages, but not a value the learner's own
notebook shows them: the sample course's unit 1 can give a learner the station
"perth_metro" in a setup cell while a hidden test of another exercise uses the city "Perth".
The station check's message names the learner's station, and it must reach them (it was
withheld for 16 of 300 forms of that unit; tests/browser/test_feedback_page_browser.py
reads it in the browser on such a form).
"""

from __future__ import annotations

from mastery_nb.course.bundle import BundleCell
from mastery_nb.grade.messages import WITHHELD, bound_message, hidden_material


def _cell(grade_id: str, source: str, *, test: bool = False) -> BundleCell:
    return BundleCell(
        grade_id=grade_id,
        index=0,
        cell_type="code",
        grade=test,
        solution=False,
        locked=not test,
        points=1.0 if test else 0.0,
        source=source,
        checksum="",
    )


CELLS = [
    _cell("setup-station", "raw_station = 'nuuk  '"),
    _cell("setup-city", "city = 'Bergen'"),
    _cell(
        "test-station",
        'checks.check("station-name")\n'
        "### BEGIN HIDDEN TESTS\n"
        "assert clean_name('  vik_skarv ') == 'Vik Skarv'\n"
        "### END HIDDEN TESTS",
        test=True,
    ),
    _cell(
        "test-report",
        'checks.check("report-line")\n'
        "### BEGIN HIDDEN TESTS\n"
        "assert report('Nuuk', 'Tromsø', 41.7).startswith('Nuuk')\n"
        "### END HIDDEN TESTS",
        test=True,
    ),
]


def test_a_value_of_the_learners_own_notebook_is_shown() -> None:
    hidden = hidden_material(CELLS)
    message = "`clean_name('nuuk  ')` returned 'Nuuk': there are still spaces at an end"
    assert bound_message(message, hidden) == message


def test_what_only_a_hidden_test_holds_is_still_withheld() -> None:
    hidden = hidden_material(CELLS)
    for leak in ("Tromsø", "41.7", "vik_skarv", "assert clean_name('  vik_skarv ') == 'Vik Skarv'"):
        shown = bound_message(f"ValueError: {leak}", hidden)
        assert shown == WITHHELD, (leak, shown)
    # the learner's station beside a hidden city: the city alone is reason enough
    assert WITHHELD in bound_message("nuuk and Tromsø", hidden)


def test_a_hidden_literal_that_contains_a_shown_value_is_withheld() -> None:
    """A value the learner sees only explains the hidden literals inside it."""
    cells = [
        _cell("setup", "station = 'vik_skarv'"),
        _cell(
            "test",
            "### BEGIN HIDDEN TESTS\n"
            "assert tidy('  vik_skarv_holmen ') == 'Vik Skarv Holmen'\n"
            "### END HIDDEN TESTS",
            test=True,
        ),
    ]
    hidden = hidden_material(cells)
    assert bound_message("tidy('vik_skarv') failed", hidden) == "tidy('vik_skarv') failed"
    assert bound_message("ValueError: vik_skarv_holmen", hidden) == WITHHELD
    assert bound_message("ValueError: VIK SKARV HOLMEN", hidden) == WITHHELD


def test_without_the_setup_cells_the_same_message_was_withheld() -> None:
    """What the fix changed: the setup cells' values count as seen by the learner."""
    tests_only = hidden_material(c for c in CELLS if c.grade)
    message = "`clean_name('nuuk  ')` returned 'Nuuk': there are still spaces at an end"
    assert bound_message(message, tests_only) == WITHHELD
