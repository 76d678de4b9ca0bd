"""Feedback as one self-contained HTML page (inline CSS, no scripts, no external files).

Every value from the store or the grader is escaped: messages come from student code.
Links to resources are kept only when they are http(s) URLs or relative paths, never
``javascript:`` or other schemes.
"""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from typing import Any

__all__ = ["render_feedback_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;
padding:0 1rem;color:#1f2328;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.8rem}
.muted{color:#59636e}.badge{display:inline-block;padding:.1rem .55rem;border-radius:1rem;
font-size:.85rem;font-weight:600}
.ok{background:#dafbe1;color:#116329}.no{background:#ffebe9;color:#a40e26}
.wait{background:#fff8c5;color:#7d4e00}
.objective{border:1px solid #d1d9e0;border-radius:.5rem;padding:.8rem 1rem;margin:.8rem 0}
.bar{position:relative;height:.7rem;background:#eff2f5;border-radius:.35rem;margin:.4rem 0}
.fill{height:100%;border-radius:.35rem;background:#cf222e}.fill.ok{background:#1a7f37}
.threshold{position:absolute;top:-.2rem;bottom:-.2rem;width:2px;background:#1f2328}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem .5rem;
border-bottom:1px solid #d1d9e0;vertical-align:top}
pre{white-space:pre-wrap;margin:0;font-size:.85rem}
"""


def _safe_href(href: str) -> str | None:
    lowered = href.strip().lower()
    if lowered.startswith(("http://", "https://")) or ":" not in lowered.split("/")[0]:
        return href.strip()
    return None


def _resource_list(title: str, items: list[dict[str, str]]) -> str:
    if not items:
        return ""
    entries = []
    for item in items:
        href = _safe_href(item.get("href", ""))
        label = escape(item.get("title", ""))
        entries.append(
            f'<li><a href="{escape(href, quote=True)}">{label}</a></li>'
            if href
            else f"<li>{label}</li>"
        )
    return f"<p><strong>{escape(title)}</strong></p><ul>{''.join(entries)}</ul>"


def _when(iso: str) -> str:
    """``2026-11-22T09:04:09.740103Z`` as ``2026-11-22 09:04:09 UTC``."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _objective(objective: dict[str, Any], checks_by_id: dict[str, dict[str, Any]]) -> str:
    mastered = bool(objective["mastered"])
    score = float(objective["score"])
    threshold = float(objective["threshold"])
    badge = (
        '<span class="badge ok">mastered</span>'
        if mastered
        else '<span class="badge no">not yet mastered</span>'
    )
    overall = ""
    if objective.get("mastered_overall") and not mastered:
        overall = ' <span class="muted">(mastered in an earlier attempt: it stays mastered)</span>'
    failed = [checks_by_id[g] for g in objective.get("failed_checks", []) if g in checks_by_id]
    failed_html = ""
    if failed:
        failed_html = (
            "<p><strong>Checks that did not pass</strong></p><ul>"
            + "".join(
                f"<li><code>{escape(c['grade_id'])}</code> ({c['points']:g} of {c['max_points']:g} points)"
                + (f"<pre>{escape(c['message'])}</pre>" if c["message"] else "")
                + "</li>"
                for c in failed
            )
            + "</ul>"
        )
    return (
        f'<section class="objective"><div><strong>{escape(objective["id"])}</strong> {badge}{overall}</div>'
        f'<div class="muted">{escape(objective.get("description", ""))}</div>'
        f'<div class="bar" role="img" aria-label="score {_percent(score)}, threshold {_percent(threshold)}">'
        f'<div class="fill{" ok" if mastered else ""}" style="width:{min(100.0, score * 100):.1f}%"></div>'
        f'<div class="threshold" style="left:{min(100.0, threshold * 100):.1f}%"></div></div>'
        f"<div>Score {_percent(score)} ({objective['points']:g} of {objective['max_points']:g} points); "
        f"mastery needs {_percent(threshold)}.</div>"
        f"{failed_html}"
        f"{_resource_list('Study before resubmitting', objective.get('remediation', []))}"
        f"{_resource_list('To go further', objective.get('enrichment', []))}"
        "</section>"
    )


def render_feedback_html(feedback: dict[str, Any]) -> str:
    """The page for one :func:`~mastery_nb.feedback.attempt_feedback` result."""
    title = f"{feedback['unit_title'] or feedback['unit']}: attempt {feedback['attempt']}"
    status = feedback["status"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">{escape(feedback["course_title"] or feedback["course"])} &middot; '
        f"{escape(feedback['student'])} &middot; submitted {escape(_when(feedback['submitted_at']))}</p>",
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
        verdict = (
            '<span class="badge ok">unit mastered</span>'
            if feedback["unit_mastered"]
            else '<span class="badge no">unit not yet mastered</span>'
        )
        parts.append(
            f"<p>{verdict} {feedback['points'] or 0:g} of {feedback['max_points'] or 0:g} points.</p>"
        )
        if feedback["unlocked"]:
            names = ", ".join(escape(u["title"] or u["id"]) for u in feedback["unlocked"])
            parts.append(f'<p><span class="badge ok">unlocked</span> {names}</p>')
        parts.append("<h2>Objectives</h2>")
        checks_by_id = {c["grade_id"]: c for c in feedback["checks"]}
        parts.extend(_objective(o, checks_by_id) for o in feedback["objectives"])
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
            parts.append(
                "<h2>All checks</h2><table><tr><th>check</th><th>objectives</th>"
                "<th>points</th><th>result</th></tr>"
            )
            parts.extend(
                f"<tr><td><code>{escape(c['grade_id'])}</code></td>"
                f"<td>{escape(', '.join(c['objectives']))}</td>"
                f"<td>{c['points']:g} / {c['max_points']:g}</td><td>{escape(c['status'])}</td></tr>"
                for c in feedback["checks"]
            )
            parts.append("</table>")
    left = feedback["attempts_left"]
    attempts = f"Attempts used: {feedback['attempts_used']}" + (
        f", left: {left}." if left is not None else " (no limit)."
    )
    parts.append(f"<h2>Next</h2><p>{escape(attempts)}</p>")
    if feedback["cooldown_until"]:
        parts.append(
            f"<p>You can submit again after {escape(_when(feedback['cooldown_until']))}.</p>"
        )
    elif feedback.get("refusal_reason"):
        parts.append(f"<p>{escape(feedback['refusal_reason'])}</p>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
