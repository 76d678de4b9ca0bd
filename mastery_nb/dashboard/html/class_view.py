"""The class pages: the learners x objectives heatmap, the units, and who needs you now."""

from __future__ import annotations

from mastery_nb.dashboard.html.layout import HERE, STATE_WORDS, Links, badge, e, when
from mastery_nb.dashboard.plots import histogram, stacked_bar
from mastery_nb.documents import ClassPage, NeedsReport, UnitReport

__all__ = ["heatmap_body", "needs_body", "units_body"]

SORT_WORDS = {
    "learner": "learner (A to Z)",
    "-learner": "learner (Z to A)",
    "-mastered": "most mastered",
    "mastered": "least mastered",
    "-struggling": "most struggling",
    "-active": "most recently active",
    "active": "longest inactive",
}
NEED_WORDS = {
    "grader_error": "grader error",
    "out_of_attempts": "out of attempts",
    "repeating": "repeating a failure",
    "stuck": "stuck",
    "awaiting_review": "awaiting your grade",
    "idle": "idle",
}


def _options(values: list[tuple[str, str]], chosen: str | None) -> str:
    return "".join(
        f'<option value="{e(v)}"{" selected" if v == (chosen or "") else ""}>{e(t)}</option>'
        for v, t in values
    )


def _filters(page: ClassPage, links: Links) -> str:
    units = [("", "all units"), *((u.id, u.title) for u in page.units)]
    groups = [("", "all groups"), *((g, g) for g in page.groups)]
    states = [("", "any state"), *STATE_WORDS.items()]
    sorts = list(SORT_WORDS.items())
    sizes = [(str(n), f"{n} a page") for n in (25, 50, 100, 200, 500)]
    return (
        f'<form class="filters" method="get" action="{e(links.base)}">'
        f'<label>Unit<select name="unit">{_options(units, page.unit)}</select></label>'
        f'<label>Group<select name="group">{_options(groups, page.group)}</select></label>'
        f'<label>Shows state<select name="state">{_options(states, page.state)}</select></label>'
        f'<label>Learner<input name="q" value="{e(page.search)}" placeholder="name contains"></label>'
        f'<label>Sort<select name="sort">{_options(sorts, page.sort)}</select></label>'
        f'<label>Rows<select name="limit">{_options(sizes, str(page.limit))}</select></label>'
        '<button type="submit">Apply</button>'
        f'<a class="muted" href="{e(links.base)}">clear</a></form>'
    )


def _legend(page: ClassPage) -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><i class="swatch s-{e(s)}"></i>{e(w)} <span class="muted">{page.totals.get(s, 0)}</span></span>'
            for s, w in STATE_WORDS.items()
        )
        + "</div>"
    )


def _query(page: ClassPage) -> dict[str, object]:
    return {
        "unit": page.unit,
        "group": page.group,
        "state": page.state,
        "q": page.search,
        "sort": page.sort,
        "limit": page.limit if page.limit != 50 else None,
    }


def _pager(page: ClassPage, links: Links) -> str:
    first = page.offset + 1 if page.rows else 0
    last = page.offset + len(page.rows)
    parts = [f"<span>learners {first}&ndash;{last} of {page.matching}"]
    if page.matching != page.learners:
        parts[0] += f' <span class="muted">(of {page.learners} in the class)</span>'
    parts[0] += "</span>"
    if page.offset > 0:
        back = max(0, page.offset - page.limit)
        parts.append(f'<a href="{e(links.home(**_query(page), offset=back))}">&larr; previous</a>')
    if last < page.matching:
        parts.append(f'<a href="{e(links.home(**_query(page), offset=last))}">next &rarr;</a>')
    return f'<div class="pager">{" ".join(parts)}</div>'


def heatmap_body(page: ClassPage, links: Links) -> str:
    units = {u.id: u.title for u in page.units}
    spans: list[tuple[str, int]] = []
    for column in page.columns:
        if spans and spans[-1][0] == column.unit:
            spans[-1] = (column.unit, spans[-1][1] + 1)
        else:
            spans.append((column.unit, 1))
    head_units = "".join(
        f'<th class="unit" colspan="{n}"><a href="{e(links.home(**{**_query(page), "unit": u}))}" '
        f'title="{e(units.get(u, u))}">{e(units.get(u, u))}</a></th>'
        for u, n in spans
    )
    head_objectives = "".join(
        f'<th class="obj"><span title="{e(c.description)} (threshold {c.threshold:.0%})">{e(c.id)}</span></th>'
        for c in page.columns
    )
    first_of_unit = {
        i for i, c in enumerate(page.columns) if i == 0 or page.columns[i - 1].unit != c.unit
    }
    rows = []
    for row in page.rows:
        cells = "".join(
            f'<td class="c{" first" if i in first_of_unit else ""}">'
            f'<span class="s-{e(state)}" title="{e(row.learner)} &middot; {e(page.columns[i].id)}: '
            f'{e(STATE_WORDS[state])}, score {row.scores[i]:.0%} of {page.columns[i].threshold:.0%}">'
            "</span></td>"
            for i, state in enumerate(row.states)
        )
        groups = f' <span class="muted">{e(", ".join(row.groups))}</span>' if row.groups else ""
        rows.append(
            f'<tr data-learner="{e(row.learner)}"><td class="learner"><a href="{e(links.learner(row.learner))}">'
            f"{e(row.learner)}</a>{groups}</td>{cells}"
            f'<td class="sum">{row.mastered}/{len(row.states)}</td>'
            f'<td class="sum">{when(row.last_active)}</td></tr>'
        )
    columns = (
        '<colgroup><col class="l">'
        + "".join('<col class="o">' for _ in page.columns)
        + '<col class="s"><col class="t"></colgroup>'
    )
    table = (
        '<div class="heatmap-wrap"><table class="heatmap" aria-label="learners by objectives">'
        f'{columns}<thead><tr><th class="learner" rowspan="2">learner</th>{head_units}'
        '<th class="sum" rowspan="2">mastered</th><th class="sum" rowspan="2">last active</th></tr>'
        f"<tr>{head_objectives}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    if not page.rows:
        table = '<p class="notice">No learner matches these filters.</p>'
    return (
        f"{_filters(page, links)}{_legend(page)}{_pager(page, links)}{table}{_pager(page, links)}"
    )


def units_body(report: UnitReport) -> str:
    cards = []
    for unit in report.units:
        bar = stacked_bar(
            [
                ("mastered", "mastered", unit.mastered),
                ("attempted", "attempted, not mastered", unit.attempted),
                ("unlocked", "unlocked, not attempted", unit.unlocked),
                ("locked", "locked", unit.locked),
            ],
            label=f"{unit.title}: learners by state",
        )
        median_attempts = (
            f"{unit.median_attempts:g}" if unit.median_attempts is not None else "&ndash;"
        )
        median_days = f"{unit.median_days:g}" if unit.median_days is not None else "&ndash;"
        objectives = "".join(
            f'<tr><td title="{e(o.description)}">{e(o.id)}</td>'
            f'<td class="num">{o.mastered}</td><td class="num">{o.awaiting_review}</td>'
            f'<td class="num">{o.struggling}</td></tr>'
            for o in unit.objectives
        )
        cards.append(
            f'<section class="card" id="unit-{e(unit.id)}"><h3>{e(unit.title)} '
            f'<span class="muted">{e(unit.id)}</span></h3>{bar}'
            f'<p class="muted">{unit.mastered} mastered &middot; {unit.attempted} attempted'
            f"{f' ({unit.awaiting_review} awaiting review)' if unit.awaiting_review else ''} &middot; "
            f"{unit.unlocked} unlocked, not started &middot; {unit.locked} locked</p>"
            '<div class="plots">'
            f"<figure>{histogram(unit.attempts_to_mastery, label=f'{unit.title}: attempts to mastery', unit='attempts')}"
            f"<figcaption>attempts to mastery (median {median_attempts})</figcaption></figure>"
            f"<figure>{histogram(unit.days_to_mastery, label=f'{unit.title}: days to mastery', unit='days')}"
            f"<figcaption>days from unlocked to mastered (median {median_days})</figcaption></figure></div>"
            '<table class="list"><tr><th>objective</th><th class="num">mastered</th>'
            f'<th class="num">awaiting review</th><th class="num">struggling</th></tr>{objectives}</table>'
            "</section>"
        )
    return (
        f'<p class="muted">{report.learners} learners. Days to mastery count from the moment '
        "a unit unlocked for the learner (its prerequisites mastered, or their first activity).</p>"
        f'<div class="cards">{"".join(cards)}</div>'
    )


def needs_body(report: NeedsReport, links: Links, reason: str | None) -> str:
    chips = [
        f'<a href="{e(links.tab("needs"))}"{HERE if not reason else ""}>'
        f"all {sum(report.counts.values())}</a>"
    ]
    for key, count in report.counts.items():
        chips.append(
            f'<a href="{e(links.tab("needs", reason=key))}"{HERE if key == reason else ""}>'
            f"{e(NEED_WORDS[key])} {count}</a>"
        )
    rows = "".join(
        f'<tr data-learner="{e(n.learner)}" data-reason="{e(n.reason)}">'
        f'<td><a href="{e(links.learner(n.learner))}">{e(n.learner)}</a></td>'
        f"<td>{badge(n.reason, NEED_WORDS[n.reason])}</td><td>{e(n.unit or '')}</td>"
        f"<td>{e(n.detail)}</td><td class='muted'>{when(n.since)}</td></tr>"
        for n in report.needs
    )
    rules = report.rules
    return (
        f'<div class="chips">{"".join(chips)}</div>'
        f'<p class="muted">Stuck: {rules["stuck_attempts"]} or more attempts on a unit without '
        f"mastering it. Repeating: the same check failing with the same message in the last "
        f"{rules['repeated_attempts']} attempts. Idle: no submission or practice for "
        f"{rules['idle_days']} days while units are open.</p>"
        + (
            '<table class="list" id="needs"><tr><th>learner</th><th>why</th><th>unit</th>'
            f"<th>what happened</th><th>since</th></tr>{rows}</table>"
            if report.needs
            else '<p class="notice ok">Nobody needs you right now.</p>'
        )
    )
