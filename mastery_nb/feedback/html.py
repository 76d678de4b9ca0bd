"""Feedback as one self-contained HTML page (inline CSS, no scripts, no external files).

Written for the learner: checks are named by their exercise, messages are rendered as the
notebook renders Markdown, the learner's own errors stand beside the checks they broke,
numbers agree with their nouns, and once the unit is mastered the page says nothing about
submitting again.

Every value from the store or the grader is escaped (messages come from student code; the
Markdown renderer escapes HTML and keeps no links or images). Links to resources are kept
only when they are http(s) URLs or course paths, never ``javascript:`` or other schemes;
course paths are made absolute against ``link_base`` (the JupyterLab tree of the learner's
course folder, or the released course on disk), so a saved or mailed page still leads
somewhere, and carry ``data-course-path`` so the JupyterLab tab opens them in JupyterLab.

Colours: JupyterLab's theme variables when the page is shown in a JupyterLab tab (the tab
passes them in), else a light or dark default following the reader's system.
"""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from typing import Any
from urllib.parse import quote, urljoin

from mastery_nb.feedback.words import plural
from mastery_nb.markdown import inline_markdown, markdown_html

__all__ = ["render_feedback_html"]

_CSS = """
:root{color-scheme:light dark;--d-fg:#1f2328;--d-muted:#59636e;--d-bg:#ffffff;--d-line:#d1d9e0;
--d-track:#eff2f5;--d-ok:#1a7f37;--d-ok-bg:#dafbe1;--d-no:#cf222e;--d-no-bg:#ffebe9;
--d-wait:#7d4e00;--d-wait-bg:#fff8c5;--d-link:#0969da;--d-code:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--d-fg:#e6edf3;--d-muted:#9198a1;--d-bg:#0d1117;
--d-line:#3d444d;--d-track:#262c36;--d-ok:#3fb950;--d-ok-bg:#12261e;--d-no:#f85149;
--d-no-bg:#3c1618;--d-wait:#d29922;--d-wait-bg:#3a2a04;--d-link:#4493f8;--d-code:#151b23}}
:root{--fg:var(--jp-ui-font-color1,var(--d-fg));--muted:var(--jp-ui-font-color2,var(--d-muted));
--bg:var(--jp-layout-color0,var(--d-bg));--line:var(--jp-border-color1,var(--d-line));
--track:var(--jp-layout-color3,var(--d-track));--ok:var(--jp-success-color1,var(--d-ok));
--ok-bg:var(--jp-success-color3,var(--d-ok-bg));--no:var(--jp-error-color1,var(--d-no));
--no-bg:var(--jp-error-color3,var(--d-no-bg));--wait:var(--jp-warn-color1,var(--d-wait));
--wait-bg:var(--jp-warn-color3,var(--d-wait-bg));--link:var(--jp-content-link-color,var(--d-link));
--code:var(--jp-cell-editor-background,var(--d-code))}
body{font-family:var(--jp-ui-font-family,system-ui,-apple-system,"Segoe UI",sans-serif);
max-width:52rem;margin:2rem auto;padding:0 1rem;color:var(--fg);background:var(--bg);line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.8rem}h3{font-size:1rem;margin:0}
a{color:var(--link)}code,pre{font-family:var(--jp-code-font-family,ui-monospace,monospace);
font-size:.88em}code{background:var(--code);padding:0 .2em;border-radius:.2rem}
pre{background:var(--code);padding:.4rem .6rem;border-radius:.3rem;white-space:pre-wrap;margin:.3rem 0}
pre code{background:none;padding:0}
.muted{color:var(--muted)}.badge{display:inline-block;padding:.1rem .55rem;border-radius:1rem;
font-size:.85rem;font-weight:600}
.ok{background:var(--ok-bg);color:var(--ok)}.no{background:var(--no-bg);color:var(--no)}
.wait{background:var(--wait-bg);color:var(--wait)}
.objective{border:1px solid var(--line);border-radius:.5rem;padding:.8rem 1rem;margin:.8rem 0}
.bar{position:relative;height:.7rem;background:var(--track);border-radius:.35rem;margin:.4rem 0}
.fill{height:100%;border-radius:.35rem;background:var(--no)}.fill.ok{background:var(--ok)}
.threshold{position:absolute;top:-.2rem;bottom:-.2rem;width:2px;background:var(--fg)}
.check{border-left:4px solid var(--no);padding:.1rem .7rem;margin:.6rem 0}
.check p{margin:.25rem 0}.learner-error{border-left:4px solid var(--wait);padding:.1rem .7rem;margin:.4rem 0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem .5rem;
border-bottom:1px solid var(--line);vertical-align:top}
"""


def _course_link(href: str, link_base: str) -> tuple[str, str] | None:
    """``(href to use, course path or "")`` for a resource link, or None if not a safe link."""
    target = href.strip()
    lowered = target.lower()
    if lowered.startswith(("http://", "https://")):
        return target, ""
    if ":" in lowered.split("/")[0] or target.startswith(("/", "\\")) or not target:
        return None  # another scheme (javascript:, data:, file:) or a path outside the course
    path = target.removeprefix("./")
    if ".." in path.split("/"):
        return None
    return (urljoin(link_base, quote(path, safe="/#?=&")) if link_base else path), path


def _resource_list(title: str, items: list[dict[str, str]], link_base: str) -> str:
    if not items:
        return ""
    entries = []
    for item in items:
        link = _course_link(item.get("href", ""), link_base)
        label = escape(item.get("title", ""))
        if link is None:
            entries.append(f"<li>{label}</li>")
            continue
        href, path = link
        where = (
            f' <span class="muted">(<code>{escape(path)}</code> in your course folder)</span>'
            if path
            else ""
        )
        course = f' data-course-path="{escape(path, quote=True)}"' if path else ""
        entries.append(f'<li><a href="{escape(href, quote=True)}"{course}>{label}</a>{where}</li>')
    return f"<h3>{escape(title)}</h3><ul>{''.join(entries)}</ul>"


def _when(iso: str) -> str:
    """``2026-11-22T09:04:09.740103Z`` as ``2026-11-22 09:04:09 UTC``."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _time(iso: str, kind: str) -> str:
    """A ``<time>`` element: UTC in words on its own; the sidebar's feedback tab rewrites it
    in the learner's local time (``data-kind="cooldown"`` with a live countdown), as the
    sidebar shows it (src/clock.ts)."""
    return f'<time datetime="{escape(iso)}" data-kind="{kind}">{escape(_when(iso))}</time>'


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _points(earned: float, possible: float) -> str:
    return f"{earned:g} of {plural(possible, 'point')}"


#: a failure in a hidden test is marked as such (a visible one the learner can read)
_PART = {"hidden": '<span class="badge wait">hidden test</span>'}


def _learner_error(error: dict[str, Any]) -> str:
    line = error.get("line")
    where = escape(error["where"]) + (f", line {line}" if isinstance(line, int) else "")
    return (
        '<div class="learner-error"><p><strong>Your code raised an error</strong> '
        f'<span class="muted">in {where}</span></p>'
        f"<pre><code>{escape(error['message'])}</code></pre></div>"
    )


def _failed_check(check: dict[str, Any]) -> str:
    errors = "".join(_learner_error(e) for e in check.get("learner_errors", []))
    explanation = check.get("explanation") or check.get("message") or check["status"]
    return (
        f'<div class="check"><p><strong>{inline_markdown(check.get("label") or check["grade_id"])}'
        f"</strong> {_PART.get(check.get('part', ''), '')} "
        f'<span class="muted">{_points(check["points"], check["max_points"])}</span></p>'
        f"{markdown_html(explanation)}{errors}</div>"
    )


def _objective(
    objective: dict[str, Any], checks_by_id: dict[str, dict[str, Any]], link_base: str
) -> str:
    mastered = bool(objective["mastered"])
    score = float(objective["score"])
    threshold = float(objective["threshold"])
    badge = (
        '<span class="badge ok">mastered</span>'
        if mastered
        else '<span class="badge wait">awaiting review</span>'
        if objective.get("awaiting_review")
        else '<span class="badge wait">excused by your instructor</span>'
        if objective.get("excused")
        else '<span class="badge no">not yet mastered</span>'
    )
    overall = ""
    if objective.get("mastered_overall") and not mastered:
        overall = ' <span class="muted">(mastered in an earlier attempt: it stays mastered)</span>'
    failed = [checks_by_id[g] for g in objective.get("failed_checks", []) if g in checks_by_id]
    failed_html = (
        f"<h3>What did not pass</h3>{''.join(_failed_check(c) for c in failed)}" if failed else ""
    )
    name = objective.get("description") or objective["id"]
    return (
        f'<section class="objective"><div><strong>{inline_markdown(name)}</strong> {badge}{overall}</div>'
        f'<div class="bar" role="img" aria-label="score {_percent(score)}, threshold {_percent(threshold)}">'
        f'<div class="fill{" ok" if mastered else ""}" style="width:{min(100.0, score * 100):.1f}%"></div>'
        f'<div class="threshold" style="left:{min(100.0, threshold * 100):.1f}%"></div></div>'
        f"<div>Score {_percent(score)} ({_points(objective['points'], objective['max_points'])}); "
        f"mastery needs {_percent(threshold)}.</div>"
        f"{failed_html}"
        f"{_resource_list('Study before you submit again', objective.get('remediation', []), link_base)}"
        f"{_resource_list('To go further', objective.get('enrichment', []), link_base)}"
        "</section>"
    )


def _graded_by_hand(checks: list[dict[str, Any]]) -> list[str]:
    """Answers graded by hand: waiting, or their points with the grader's comment and rubric."""
    by_hand = [c for c in checks if c.get("graded_by_hand")]
    if not by_hand:
        return []
    parts = ["<h2>Graded by hand</h2>"]
    for check in by_hand:
        label = inline_markdown(check.get("label") or check["grade_id"])
        if check.get("awaiting_review"):
            state = '<span class="badge wait">awaiting review</span>'
        else:
            state = f'<span class="muted">{_points(check["points"], check["max_points"])}</span>'
        rubric = "".join(
            f"<tr><td>{escape(r['criterion'])}</td><td>{r['points']:g} / {r['max_points']:g}</td></tr>"
            for r in check.get("rubric", [])
        )
        parts.append(
            f'<div class="check hand"><p><strong>{label}</strong> {state}</p>'
            + (f"<table>{rubric}</table>" if rubric else "")
            + (
                f'<div class="comment"><p class="muted">Your instructor wrote:</p>'
                f"{markdown_html(check['comment'])}</div>"
                if check.get("comment")
                else ""
            )
            + "</div>"
        )
    return parts


_RESULT = {
    "passed": "passed",
    "partial": "partly passed",
    "failed": "did not pass",
    "error": "did not pass (error)",
    "timeout": "stopped: took too long",
    "missing": "missing",
    "not_run": "not run",
    "manual": "awaiting review by your instructor",
    "reviewed": "graded by hand",
}


def _all_checks(checks: list[dict[str, Any]], objectives: dict[str, str]) -> list[str]:
    rows = [
        "<h2>All checks</h2><table><tr><th>check</th><th>objective</th>"
        "<th>points</th><th>result</th></tr>"
    ]
    for c in checks:
        names = ", ".join(objectives.get(o, o) for o in c["objectives"])
        rows.append(
            f"<tr><td>{inline_markdown(c.get('label') or c['grade_id'])}</td>"
            f"<td>{escape(names)}</td><td>{c['points']:g} / {c['max_points']:g}</td>"
            f"<td>{escape(_RESULT.get(c['status'], c['status']))}</td></tr>"
        )
    rows.append("</table>")
    return rows


def _form_line(feedback: dict[str, Any], mastered: bool) -> list[str]:
    """Which form this attempt was, and whether a new one waits for the learner."""
    form, current = feedback.get("form"), feedback.get("current_form")
    if form is None:
        return []
    line = f"This attempt was on your form {form} of this unit (your own numbers and data)."
    if current is not None and current != form and not mastered:
        line += (
            f" Your next attempt is on a new form, form {current}: start the unit again "
            "(your work on this form is kept beside it) and answer its questions."
        )
    return [f'<p class="muted">{escape(line)}</p>']


def _placement(outcome: dict[str, Any]) -> list[str]:
    """Per unit the placement covers: placed out of, or what to study."""
    rows = ["<h2>Placement</h2><ul>"]
    for unit in outcome.get("units", []):
        name = escape(unit.get("title") or unit["id"])
        if unit["placed"]:
            rows.append(f'<li><span class="badge ok">mastered by placement</span> {name}</li>')
        else:
            study = ", ".join(escape(o) for o in unit.get("to_study", []))
            rows.append(
                f'<li><span class="badge no">not placed out</span> {name}: '
                f"study {study} (the objectives below say how), then work through the unit.</li>"
            )
    rows.append("</ul>")
    start = [escape(u.get("title") or u["id"]) for u in outcome.get("start_with", [])]
    if start:
        rows.append(f"<p>Start with: {', '.join(start)}.</p>")
    return rows


def _next_steps(feedback: dict[str, Any], mastered: bool) -> list[str]:
    """What to do next; nothing about submitting again once the unit is mastered."""
    if mastered:
        return ["<h2>Next</h2><p>You have mastered this unit.</p>"]
    used, left = feedback["attempts_used"], feedback["attempts_left"]
    attempts = f"You have used {plural(used, 'attempt')}" + (
        f"; {plural(left, 'attempt')} left." if left is not None else " (there is no limit)."
    )
    parts = ["<h2>Next</h2>", f"<p>{escape(attempts)}</p>"]
    if feedback["cooldown_until"]:
        parts.append(
            f"<p>You can submit again after {_time(feedback['cooldown_until'], 'cooldown')}.</p>"
        )
    elif feedback.get("refusal_reason"):
        parts.append(f"<p>{escape(feedback['refusal_reason'])}</p>")
    elif feedback.get("can_submit"):
        parts.append("<p>Work on what did not pass, then submit the unit again.</p>")
    return parts


def render_feedback_html(feedback: dict[str, Any], *, link_base: str = "") -> str:
    """The page for one :func:`~mastery_nb.feedback.attempt_feedback` result.

    ``link_base``: an absolute URL (ending in ``/``) that course paths in resource links are
    resolved against; empty keeps them relative to the course folder.
    """
    unit = feedback["unit_title"] or feedback["unit"]
    title = f"{unit}: attempt {feedback['attempt']}"
    status = feedback["status"]
    mastered = bool(feedback["unit_mastered"]) or feedback.get("state") == "mastered"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(unit)}</h1>",
        f'<p class="muted">Attempt {feedback["attempt"]} &middot; '
        f"{escape(feedback['course_title'] or feedback['course'])} &middot; "
        f"{escape(feedback['student'])} &middot; submitted {_time(feedback['submitted_at'], 'submitted')}</p>",
        *_form_line(feedback, mastered),
    ]
    if status != "graded":
        words = {
            "queued": "This attempt is waiting to be graded.",
            "grading": "This attempt is being graded.",
        }.get(status, status)
        problem = feedback.get("grading_problem")
        if problem:
            words = problem["message"][:1].upper() + problem["message"][1:] + "."
        parts.append(f'<p><span class="badge wait">{escape(status)}</span> {escape(words)}</p>')
    else:
        points = _points(feedback["points"] or 0, feedback["max_points"] or 0)
        verdict = (
            f'<span class="badge ok">unit mastered</span> {points}.'
            if mastered
            else f'<span class="badge wait">awaiting review</span> {points} so far: your '
            "instructor grades the answers graded by hand, and mastery is decided then."
            if feedback.get("awaiting_review")
            else f'<span class="badge no">not mastered yet</span> {points}.'
        )
        parts.append(f"<p>{verdict}</p>")
        if feedback["unlocked"]:
            names = ", ".join(escape(u["title"] or u["id"]) for u in feedback["unlocked"])
            parts.append(f'<p><span class="badge ok">unlocked</span> {names}</p>')
        if feedback.get("placement"):
            parts.extend(_placement(feedback["placement"]))
        beside = {
            (e["notebook"], e["before"])
            for c in feedback["checks"]
            if not c["passed"]
            for e in c.get("learner_errors", [])
        }
        elsewhere = [
            e
            for e in feedback.get("learner_errors", [])
            if (e["notebook"], e["before"]) not in beside
        ]
        if elsewhere:
            parts.append("<h2>Errors in your code</h2>")
            parts.extend(_learner_error(e) for e in elsewhere)
        parts.append("<h2>Objectives</h2>")
        checks_by_id = {c["grade_id"]: c for c in feedback["checks"]}
        parts.extend(_objective(o, checks_by_id, link_base) for o in feedback["objectives"])
        parts.extend(_graded_by_hand(feedback["checks"]))
        if feedback["messages"]:
            parts.append("<h2>Notes from the grader</h2><ul>")
            parts.extend(f"<li><pre>{escape(m)}</pre></li>" for m in feedback["messages"])
            parts.append("</ul>")
        if feedback["tampering"]:
            parts.append(
                '<h2>Restored from the original</h2><p class="muted">These parts of the '
                "notebook were changed and were graded as released:</p><ul>"
            )
            parts.extend(f"<li>{escape(t)}</li>" for t in feedback["tampering"])
            parts.append("</ul>")
        if feedback["checks"]:
            described = {o["id"]: o.get("description") or o["id"] for o in feedback["objectives"]}
            parts.extend(_all_checks(feedback["checks"], described))
    parts.extend(_next_steps(feedback, mastered))
    parts.append("</body></html>\n")
    return "\n".join(parts)
