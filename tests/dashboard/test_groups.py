"""Groups for the dashboard's filter: from a file (JSON or CSV)."""

from __future__ import annotations

from pathlib import Path

from class_kit import COURSE, SeededClass

from mastery_nb.dashboard.course import CourseDashboard
from mastery_nb.dashboard.groups import FileGroups


def test_groups_from_a_file_filter_the_heatmap(seeded: SeededClass, tmp_path: Path) -> None:
    listed = tmp_path / "groups.json"
    listed.write_text(
        '{"groups": {"section-a": ["learner-00001", "learner-00002"], '
        '"section-b": ["learner-00002", "learner-00003"]}}'
    )
    dashboard = CourseDashboard(seeded.root, COURSE, groups=FileGroups(listed))
    page = dashboard.class_page(group="section-b")
    assert [r.learner for r in page.rows] == ["learner-00002", "learner-00003"]
    assert page.groups == ["section-a", "section-b"]
    assert page.rows[0].groups == ["section-a", "section-b"]
    rows = tmp_path / "groups.csv"
    rows.write_text("learner,group\nlearner-00004,lab-1\nlearner-00005,lab-1\n")
    from_csv = CourseDashboard(seeded.root, COURSE, groups=FileGroups(rows))
    assert [r.learner for r in from_csv.class_page(group="lab-1").rows] == [
        "learner-00004",
        "learner-00005",
    ]
    rows.write_text("learner,group\nlearner-00006,lab-1\n")  # read again when it changes
    assert [r.learner for r in from_csv.class_page(group="lab-1").rows] == ["learner-00006"]
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2]")
    assert FileGroups(broken).groups() == {}, "no groups, and the dashboard still works"
