"""The item statistics page: every check of a unit across the class, practice beside it."""

from __future__ import annotations

from mastery_nb.dashboard.html.layout import HERE, Links, e
from mastery_nb.dashboard.plots import histogram, share_bar
from mastery_nb.documents import ItemReport, ItemStat
from mastery_nb.markdown import inline_markdown

__all__ = ["items_body"]


def _kind(item: ItemStat) -> str:
    if item.item == "manual":
        return "graded by hand"
    return "test with hidden tests" if item.hidden else "test"


def _item(item: ItemStat) -> str:
    share = f"{item.first_failed * 100 / item.learners:.0f}%" if item.learners else "&ndash;"
    hidden = (
        f'<div class="muted">{item.first_failed_hidden} of them in a hidden test</div>'
        if item.hidden
        else ""
    )
    failures = "".join(
        f'<li><code>{e(f.message)}</code> <span class="muted">&times; {f.count}</span></li>'
        for f in item.failures
    )
    return (
        f'<tr data-item="{e(item.grade_id)}"><td><strong>{inline_markdown(item.label)}</strong>'
        f'<div class="muted">{e(item.grade_id)} &middot; {e(", ".join(item.objectives))} &middot; {e(_kind(item))} &middot; '
        f"{item.points:g} pt</div></td>"
        f'<td class="first-failed">{share_bar(item.first_failed, item.learners, label="failed on the first attempt")}'
        f' <span class="count">{item.first_failed} of {item.learners} ({share})</span>{hidden}</td>'
        f'<td class="num">{item.passed}</td>'
        f"<td>{histogram(item.attempts_to_pass, label=f'{item.grade_id}: attempts until passing', unit='attempts', width=180)}</td>"
        f'<td><ul class="messages">{failures or "<li class=muted>none</li>"}</ul></td></tr>'
    )


def items_body(report: ItemReport, links: Links) -> str:
    chips = "".join(
        f'<a href="{e(links.tab("items", unit=u.id))}"{HERE if u.id == report.unit else ""}>{e(u.title)}</a>'
        for u in report.units
    )
    items = "".join(_item(i) for i in report.items)
    objectives = "".join(
        f"<tr><td>{e(o.objective)}</td>"
        f"<td>{share_bar(o.practised_and_submitted, o.submitted, css='pass', label='practised before submitting')}"
        f" {o.practised_and_submitted} of {o.submitted} who submitted</td>"
        f'<td class="num">{o.practised}</td></tr>'
        for o in report.objectives
    )
    practice = "".join(
        f"<tr><td>{e(p.question)}</td><td>{e(p.objective or '')}</td>"
        f'<td class="num">{p.learners}</td><td class="num">{p.correct}</td><td class="num">{p.events}</td></tr>'
        for p in report.practice
    )
    return (
        f'<div class="chips">{chips}</div>'
        f"<h2>Checks of {e(report.unit_title)}</h2>"
        '<p class="muted">Per check, across the learners with a graded attempt of the unit: who '
        "failed it on their first attempt (and how many in a hidden test, never shown), who "
        "passed it since and on which attempt, and the most common failure messages (hidden "
        "test lines withheld).</p>"
        '<table class="list" id="items"><tr><th>check</th><th>failed on the first attempt</th>'
        '<th class="num">passed</th><th>attempts until passing</th><th>most common failures</th></tr>'
        f"{items}</table>"
        "<h2>Practice beside it</h2>"
        '<p class="muted">Practice checks and quizzes are the learner\'s own record (never '
        "evidence of mastery): who practised each objective before or after submitting.</p>"
        '<div class="two"><div><table class="list" id="practice-objectives"><tr><th>objective</th>'
        f'<th>practised, of those who submitted</th><th class="num">practised</th></tr>{objectives}</table></div>'
        '<div><table class="list" id="practice"><tr><th>practice question</th><th>objective</th>'
        '<th class="num">tried</th><th class="num">got it right</th><th class="num">events</th></tr>'
        f"{practice or '<tr><td colspan=5 class=muted>no practice yet</td></tr>'}</table></div></div>"
    )
