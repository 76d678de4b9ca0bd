"""The mastery gradebook: one row per learner x objective, for the LMS and for records.

:func:`class_gradebook` reads a course's learners from the store and applies the standing
rule to each (the same rule as ``mastery-nb progress``, so the two agree row by row);
:func:`gradebook_rows` does it for standings already computed (the class dashboard's);
:func:`wide` turns the rows into one row per learner; :func:`render` writes CSV or JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.gradebook.export import (
        class_gradebook,
        gradebook_rows,
        render,
        wide,
    )

__all__ = ["class_gradebook", "gradebook_rows", "render", "wide"]

__getattr__ = lazy_exports(
    __name__,
    {name: "mastery_nb.gradebook.export" for name in __all__},
)
