"""Parallel forms: each learner's own numbers and data for a unit's exercises.

A unit's checks file declares its parameters (``@checks.form def form(rng): ...``); its
notebook refers to them (``form.x`` in code, ``{{ form.x }}`` in Markdown). A learner's
form is fixed by (course, unit, learner, form number) and drawn by the backend with a
secret per-course key, never by the learner's kernel:

- :mod:`mastery_nb.forms.values`: the values, the preview form, ``forms/<unit>.json``
  (standard library only: the kernel imports it);
- :mod:`mastery_nb.forms.render`: filling values into code and Markdown (also the kernel's);
- :mod:`mastery_nb.forms.keys`: the per-course key and each form's seed;
- :mod:`mastery_nb.forms.learner`: a learner's form, drawn from the released checks file;
- :mod:`mastery_nb.forms.notebook`: a form filled into a released notebook or a bundle.

Which form number a learner is on is decided by standing
(:mod:`mastery_nb.progress.standing`): a new one after every graded attempt that leaves the
unit not mastered. See docs/design.md, "Variants (parallel forms, issue 13)".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.forms.learner import learner_form, preview_form
    from mastery_nb.forms.notebook import render_bundle, render_notebook
    from mastery_nb.forms.values import FormValues

__all__ = ["FormValues", "learner_form", "preview_form", "render_bundle", "render_notebook"]

__getattr__ = lazy_exports(
    __name__,
    {
        "FormValues": "mastery_nb.forms.values",
        "learner_form": "mastery_nb.forms.learner",
        "preview_form": "mastery_nb.forms.learner",
        "render_bundle": "mastery_nb.forms.notebook",
        "render_notebook": "mastery_nb.forms.notebook",
    },
)
