"""One learner's page: standing per unit, every attempt, practice, and the trail of
overrides and grades by hand (with the forms an instructor uses to change things)."""

from __future__ import annotations

from mastery_nb.course.model import Course
from mastery_nb.dashboard.html.layout import Links, badge, e, when
from mastery_nb.dashboard.plots import score_bar
from mastery_nb.documents import AttemptDetail, LearnerRecord, OverrideEntry, UnitStanding
from mastery_nb.markdown import inline_markdown, markdown_html

__all__ = ["ACTION_WORDS", "learner_body"]

#: the colour of a check's result
CHECK_BADGES = {
    "passed": "ok",
    "manual": "awaiting_review",
    "reviewed": "in_progress",
    "partial": "in_progress",
}

ACTION_WORDS = {
    "extra_attempts": "grant extra attempts",
    "lift_cooldown": "lift the cooldown",
    "excuse": "excuse an objective",
    "mark_mastered": "mark an objective mastered",
    "reopen": "reopen the unit (attempts count afresh)",
}


def _unit_row(unit: UnitStanding) -> str:
    state = "awaiting_review" if unit.awaiting_review and not unit.mastered else unit.state
    objectives = "".join(
        f"<div>{score_bar(o.score, o.threshold, mastered=o.mastered, label=o.id)} "
        f"{e(o.id)} {o.score:.0%}/{o.threshold:.0%}"
        + (f" {badge('mastered')}" if o.mastered else "")
        + (f" {badge('awaiting_review')}" if o.awaiting_review else "")
        + (f" {badge('excused')}" if o.excused else "")
        + (" <span class='muted'>(marked by an instructor)</span>" if o.overridden else "")
        + "</div>"
        for o in unit.objectives
    )
    left = "&infin;" if unit.attempts_left is None else str(unit.attempts_left)
    said = list(unit.notes)
    if unit.mastered_by == "placement":
        said.insert(0, f"mastered by placement ({unit.placement})")
    if unit.forms:
        said.append(f"on form {unit.form}")
    notes = "".join(f"<div class='muted'>{e(n)}</div>" for n in said)
    return (
        f'<tr id="unit-{e(unit.id)}" data-unit="{e(unit.id)}"><td><strong>{e(unit.title)}</strong>'
        f'<div class="muted">{e(unit.id)}</div></td>'
        f'<td class="state">{badge(state)}</td><td>{objectives}</td>'
        f'<td class="num">{unit.attempts_used} used, {left} left</td><td>{notes}</td></tr>'
    )


def _override_form(record: LearnerRecord, course: Course, links: Links, xsrf: str) -> str:
    actions = "".join(f'<option value="{e(k)}">{e(v)}</option>' for k, v in ACTION_WORDS.items())
    targets = "".join(
        f'<optgroup label="{e(u.title)}"><option value="{e(u.id)}">{e(u.title)} (the unit)</option>'
        + "".join(
            f'<option value="{e(u.id)}/{e(o.id)}">{e(u.id)} / {e(o.id)}</option>'
            for o in u.objectives
        )
        + "</optgroup>"
        for u in course.units
    )
    return (
        f'<form class="grade-form" method="post" action="{e(links.learner(record.learner))}/overrides">'
        f'<input type="hidden" name="_xsrf" value="{e(xsrf)}">'
        '<div class="row"><label>Action <select name="action">' + actions + "</select></label>"
        f'<label>Unit or objective <select name="target">{targets}</select></label>'
        '<label>Extra attempts <input class="points" type="number" name="amount" min="1" max="100" '
        'placeholder="1"></label></div>'
        '<label>Why (kept in the trail) <textarea name="reason" required maxlength="2000"></textarea></label>'
        '<div class="row"><button type="submit">Record override</button></div></form>'
    )


def _override_row(entry: OverrideEntry, links: Links, learner: str, xsrf: str, teach: bool) -> str:
    target = e(entry.unit) + (f" / {e(entry.objective)}" if entry.objective else "")
    amount = f" ({entry.amount})" if entry.amount else ""
    if entry.active:
        status = badge("ok", "in force")
        if teach:
            status += (
                f'<form class="row" method="post" action="{e(links.learner(learner))}/overrides/{entry.id}/revoke">'
                f'<input type="hidden" name="_xsrf" value="{e(xsrf)}">'
                '<input name="reason" required placeholder="why revoke" maxlength="2000">'
                '<button class="quiet" type="submit">Revoke</button></form>'
            )
    else:
        status = (
            f"{badge('revoked')} <span class='muted'>by {e(entry.revoked_by or '')} "
            f"{when(entry.revoked_at)}: {e(entry.revoke_reason or '')}</span>"
        )
    return (
        f'<tr data-override="{entry.id}"><td class="muted">{when(entry.created_at)}</td><td>{e(entry.author)}</td>'
        f"<td>{e(ACTION_WORDS.get(entry.action, entry.action))}{amount}</td><td>{target}</td>"
        f"<td>{e(entry.reason)}</td><td>{status}</td></tr>"
    )


def _attempt(attempt: AttemptDetail, links: Links, learner: str) -> str:
    status, words = (
        ("awaiting_review", None)
        if attempt.awaiting_review
        else ("mastered", None)
        if attempt.mastered
        else ("no", "not mastered")
        if attempt.status == "graded"
        else ("grader_error", "grader error")
        if attempt.status in ("failed", "grader-error")
        else ("grading", attempt.status)
    )
    points = (
        f"{attempt.points:g} / {attempt.max_points:g}"
        if attempt.points is not None and attempt.max_points is not None
        else ""
    )
    by_hand = any(c.status in ("manual", "reviewed") for c in attempt.checks)
    actions = [
        f'<a href="{e(links.attempt(learner, attempt.unit, attempt.number, "feedback"))}">feedback</a>'
    ]
    if by_hand:
        actions.append(
            f'<a href="{e(links.attempt(learner, attempt.unit, attempt.number, "review"))}">grade by hand</a>'
        )
    checks = "".join(
        f"<tr><td>{inline_markdown(c.label)}</td><td>{badge(CHECK_BADGES.get(c.status, 'no'), c.status)}</td>"
        f'<td class="num">{c.points:g}/{c.max_points:g}</td><td>{e(c.message)}'
        + (
            " <span class='badge b-awaiting_review'>hidden test</span>"
            if c.part == "hidden"
            else ""
        )
        + "</td></tr>"
        for c in attempt.checks
    )
    error = f"<div class='notice no'>{e(attempt.error)}</div>" if attempt.error else ""
    return (
        f'<details data-attempt="{e(attempt.unit)}-{attempt.number}"><summary>{e(attempt.unit)} &middot; attempt {attempt.number} &middot; '
        f"{badge(status, words)} {points} <span class='muted'>{when(attempt.submitted_at)}</span></summary>"
        f"<p>{' &middot; '.join(actions)}</p>{error}"
        f'<table class="list"><tr><th>check</th><th>result</th><th class="num">points</th><th>message</th></tr>{checks}</table>'
        "</details>"
    )


def learner_body(
    record: LearnerRecord, course: Course, links: Links, xsrf: str, *, teach: bool
) -> str:
    units = "".join(_unit_row(u) for u in record.units)
    trail = "".join(
        _override_row(o, links, record.learner, xsrf, teach) for o in reversed(record.overrides)
    )
    grades = "".join(
        f"<tr><td class='muted'>{when(g.graded_at)}</td><td>{e(g.grader)}</td>"
        f'<td><a href="{e(links.attempt(record.learner, g.unit, g.attempt, "review"))}">{e(g.unit)} attempt {g.attempt}</a></td>'
        f"<td>{e(g.grade_id)}</td><td class='num'>{g.points:g}/{g.max_points:g}</td>"
        f"<td>{markdown_html(g.comment)}</td></tr>"
        for g in reversed(record.manual_grades)
    )
    practice = "".join(
        f"<tr><td>{e(objective)}</td>"
        + "".join(
            f'<td class="num">{counts.get(k, 0)}</td>'
            for k in ("check", "correct", "hint", "solution", "quiz")
        )
        + "</tr>"
        for objective, counts in sorted(record.practice.objectives.items())
    )
    attempts = "".join(_attempt(a, links, record.learner) for a in reversed(record.attempts))
    groups = f" <span class='muted'>{e(', '.join(record.groups))}</span>" if record.groups else ""
    form = (
        _override_form(record, course, links, xsrf)
        if teach
        else '<p class="muted">Overrides are for the course\'s instructors.</p>'
    )
    return (
        f'<h2 id="learner" data-learner="{e(record.learner)}">{e(record.learner)}{groups}</h2>'
        '<table class="list" id="standing"><tr><th>unit</th><th>state</th><th>objectives (score/threshold)</th>'
        f'<th class="num">attempts</th><th>notes</th></tr>{units}</table>'
        '<div class="two"><div><h2>Attempts</h2>'
        f"{attempts or '<p class=muted>No attempt yet.</p>'}"
        "<h2>Practice per objective</h2>"
        '<table class="list"><tr><th>objective</th><th class="num">checks</th><th class="num">right</th>'
        '<th class="num">hints</th><th class="num">solutions</th><th class="num">quiz answers</th></tr>'
        f"{practice or '<tr><td colspan=6 class=muted>no practice recorded</td></tr>'}</table></div>"
        f"<div><h2>Override</h2>{form}</div></div>"
        '<h2>Audit trail</h2><div class="two"><div><h3>Overrides</h3>'
        '<table class="list" id="overrides"><tr><th>when</th><th>who</th>'
        f"<th>what</th><th>on</th><th>why</th><th>status</th></tr>{trail or '<tr><td colspan=6 class=muted>none</td></tr>'}</table></div>"
        '<div><h3>Grades given by hand</h3><table class="list" id="grades"><tr><th>when</th><th>who</th><th>attempt</th>'
        f"<th>answer</th><th class='num'>points</th><th>comment</th></tr>{grades or '<tr><td colspan=6 class=muted>none</td></tr>'}</table>"
        "</div></div>"
    )
