"""The documents that cross HTTP: the TypeScript types match the pydantic models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mastery_nb.documents import (
    DOCUMENTS,
    ErrorDocument,
    FileDocument,
    PracticeEvent,
    Progress,
    typescript,
)

REPO = Path(__file__).resolve().parent.parent


def test_committed_typescript_matches_the_models() -> None:
    committed = (REPO / "src" / "documents.ts").read_text(encoding="utf-8")
    assert committed == typescript(), (
        "src/documents.ts is stale: run `python -m mastery_nb.documents --typescript > "
        "src/documents.ts` and rebuild the sidebar (jlpm build)"
    )


def test_the_command_prints_the_same_file() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "mastery_nb.documents", "--typescript"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == typescript()
    for model in DOCUMENTS:
        assert f"export interface I{model.__name__} {{" in printed


def test_every_document_has_a_kind_tag_and_refuses_unknown_keys() -> None:
    for model in DOCUMENTS:
        if model is PracticeEvent:
            continue  # one line of the practice log, inside a batch
        assert "kind" in model.model_fields, model.__name__
    with pytest.raises(ValueError):
        ErrorDocument.model_validate({"error": "x", "code": "y", "extra": 1})
    assert ErrorDocument(error="x", code="y").dump() == {"kind": "error", "error": "x", "code": "y"}
    with pytest.raises(ValueError):
        Progress.model_validate({"kind": "feedback"})


def test_files_travel_as_base64_and_practice_is_bounded() -> None:
    document = FileDocument.of("units/a.ipynb", b"\x00\xffdata")
    assert FileDocument.model_validate_json(document.model_dump_json()).content() == b"\x00\xffdata"
    good = {"time": "t", "course": "c", "unit": "u", "question": "q", "event": "check"}
    assert PracticeEvent.model_validate(good).objective is None
    for bad in ({"unit": "../x"}, {"question": "q" * 201}, {"event": "grade"}, {"extra": 1}):
        with pytest.raises(ValueError):
            PracticeEvent.model_validate({**good, **bad})
