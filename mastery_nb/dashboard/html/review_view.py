"""Grading by hand: the queue of answers waiting, and one attempt's grading page.

The learner's answer is hostile: Markdown answers are rendered by
:func:`mastery_nb.markdown.markdown_html` (raw HTML escaped, links and images reduced to
their text), code and outputs are shown escaped in ``<pre>``; the page has no script.
"""

from __future__ import annotations

from mastery_nb.dashboard.html.layout import Links, badge, e, when
from mastery_nb.documents import ReviewCell, ReviewQueue, ReviewSheet, RubricScore
from mastery_nb.markdown import inline_markdown, markdown_html

__all__ = ["BLANK_CRITERIA", "queue_body", "sheet_body"]

#: empty rubric rows offered beside the criteria already used for an answer
BLANK_CRITERIA = 3


def queue_body(queue: ReviewQueue, links: Links) -> str:
    if not queue.items:
        return '<p class="notice ok">No answer waits for a grade by hand.</p>'
    rows = "".join(
        f'<tr data-learner="{e(i.learner)}"><td><a href="{e(links.learner(i.learner))}">{e(i.learner)}</a></td>'
        f"<td>{e(i.unit_title)}</td><td>{inline_markdown(i.label)} <span class='muted'>{e(i.grade_id)}</span></td>"
        f'<td class="num">{i.max_points:g}</td><td class="muted">{when(i.submitted_at)}</td>'
        f'<td><a href="{e(links.attempt(i.learner, i.unit, i.attempt, "review"))}#{e(i.grade_id)}">grade attempt {i.attempt}</a></td></tr>'
        for i in queue.items
    )
    more = (
        f'<p class="muted">Showing the {len(queue.items)} oldest of {queue.total}.</p>'
        if queue.total > len(queue.items)
        else ""
    )
    return (
        f"<p>{queue.total} answer{'s' if queue.total != 1 else ''} graded by hand wait for a grade "
        "(each learner's latest attempt of a unit; the oldest first).</p>"
        '<table class="list" id="reviews"><tr><th>learner</th><th>unit</th><th>answer</th>'
        f'<th class="num">points</th><th>submitted</th><th></th></tr>{rows}</table>{more}'
    )


def _answer(cell: ReviewCell) -> str:
    if cell.answer_problem:
        return f'<p class="notice no">{e(cell.answer_problem)}</p>'
    if not cell.answer:
        return '<p class="muted">No answer (left as released).</p>'
    parts = []
    for part in cell.answer:
        if part.cell_type == "markdown":
            parts.append(f'<div class="md">{markdown_html(part.source)}</div>')
        else:
            parts.append(f"<pre><code>{e(part.source)}</code></pre>")
        parts.extend(f'<pre class="output">{e(text)}</pre>' for text in part.outputs)
    return f'<div class="answer">{"".join(parts)}</div>'


def _rubric_rows(cell: ReviewCell) -> str:
    start: list[RubricScore] = (
        list(cell.grade.rubric) if cell.grade and cell.grade.rubric else list(cell.rubric_template)
    )
    rows = []
    for index in range(len(start) + BLANK_CRITERIA):
        item = start[index] if index < len(start) else None
        rows.append(
            '<div class="row">'
            f'<input class="criterion" name="criterion" maxlength="300" placeholder="criterion (optional)" value="{e(item.criterion) if item else ""}">'
            f'<input class="points" type="number" name="criterion_points" min="0" step="any" placeholder="points" value="{f"{item.points:g}" if item and cell.grade else ""}">'
            f'<span class="muted">of</span><input class="points" type="number" name="criterion_max" min="0" step="any" placeholder="out of" value="{f"{item.max_points:g}" if item else ""}">'
            "</div>"
        )
    return "".join(rows)


def _cell(cell: ReviewCell, action: str, xsrf: str) -> str:
    grade = cell.grade
    status = (
        badge("awaiting_review")
        if cell.status == "manual"
        else badge("ok", f"graded: {grade.points:g} of {cell.max_points:g}")
        if grade
        else badge("no", "left unanswered: 0")
        if cell.status == "failed"
        else badge("not_started", cell.status)
    )
    history = "".join(
        f"<li>{when(g.graded_at)} {e(g.grader)}: {g.points:g}/{g.max_points:g}"
        + (f" &mdash; {e(g.comment)}" if g.comment else "")
        + "</li>"
        for g in cell.history
    )
    points = f"{grade.points:g}" if grade else ""
    return (
        f'<section class="review-cell" id="{e(cell.grade_id)}" data-cell="{e(cell.grade_id)}">'
        f"<h3>{inline_markdown(cell.label)} {status}</h3>"
        f'<div class="muted">{e(cell.notebook)} &middot; {e(cell.grade_id)} &middot; {"task" if cell.task else "answer"} &middot; '
        f"{cell.max_points:g} points &middot; objectives {e(', '.join(cell.objectives))}</div>"
        + (
            f'<details open><summary>the question</summary><div class="prompt">{markdown_html(cell.prompt)}</div></details>'
            if cell.prompt
            else ""
        )
        + f"<h3>The learner's answer</h3>{_answer(cell)}"
        f'<form class="grade-form" method="post" action="{e(action)}">'
        f'<input type="hidden" name="_xsrf" value="{e(xsrf)}">'
        f'<input type="hidden" name="notebook" value="{e(cell.notebook)}">'
        f'<input type="hidden" name="grade_id" value="{e(cell.grade_id)}">'
        f'<div class="row"><label>Points <input class="points" type="number" name="points" min="0" '
        f'max="{cell.max_points:g}" step="any" value="{points}"></label>'
        f'<span class="muted">of {cell.max_points:g} (or score the rubric: its points add up)</span></div>'
        f"<details{' open' if cell.rubric_template or (grade and grade.rubric) else ''}><summary>rubric</summary>{_rubric_rows(cell)}</details>"
        f'<label>Comment for the learner (Markdown) <textarea name="comment" maxlength="20000">{e(grade.comment) if grade else ""}</textarea></label>'
        f'<div class="row"><button type="submit">Save grade</button></div></form>'
        + (
            f"<details><summary>earlier grades ({len(cell.history)})</summary><ul>{history}</ul></details>"
            if cell.history
            else ""
        )
        + "</section>"
    )


def sheet_body(sheet: ReviewSheet, links: Links, xsrf: str) -> str:
    action = links.attempt(sheet.learner, sheet.unit, sheet.attempt, "review")
    standing = sheet.standing
    objectives = "".join(
        f"<li>{e(o.id)}: {o.score:.0%} of {o.threshold:.0%} "
        + (
            badge("mastered")
            if o.mastered
            else badge("awaiting_review")
            if o.awaiting_review
            else badge("no", "not mastered")
        )
        + "</li>"
        for o in standing.objectives
    )
    cells = "".join(_cell(c, action, xsrf) for c in sheet.cells)
    return (
        f'<h2><a href="{e(links.learner(sheet.learner))}">{e(sheet.learner)}</a> &middot; {e(sheet.unit_title)} &middot; '
        f"attempt {sheet.attempt} <span class='muted'>{when(sheet.submitted_at)}</span></h2>"
        f'<div class="card" id="standing" data-mastered="{str(standing.mastered).lower()}">'
        f"<strong>Standing on the unit now</strong> "
        f"{badge('mastered') if standing.mastered else badge('awaiting_review') if standing.awaiting_review else badge(standing.state)}"
        f"<ul>{objectives}</ul><p class='muted'>Mastery is decided once the answers graded by "
        "hand that could change it are graded.</p></div>"
        f"{cells or '<p class=muted>This unit has no answer graded by hand.</p>'}"
    )
