"""Turns on a shared grader (mastery_nb/grade/turns.py): an attempt graded alone waits for
those in flight, none starts beside it, and it goes before attempts that came after it."""

from __future__ import annotations

import threading
import time

from mastery_nb.grade.turns import Turns


def test_alone_waits_for_the_shared_in_flight_and_none_starts_beside_it() -> None:
    turns = Turns()
    log: list[str] = []
    lock = threading.Lock()

    def note(text: str) -> None:
        with lock:
            log.append(text)

    def share(name: str, seconds: float) -> None:
        with turns.shared():
            note(f"{name} in")
            time.sleep(seconds)
            note(f"{name} out")

    def alone() -> None:
        with turns.alone():
            note("alone in")
            time.sleep(0.2)
            note("alone out")

    first = threading.Thread(target=share, args=("first", 0.3))
    first.start()
    time.sleep(0.1)  # first is in flight
    suspect = threading.Thread(target=alone)
    suspect.start()
    time.sleep(0.1)  # the suspect waits for first
    later = threading.Thread(target=share, args=("later", 0.0))
    later.start()
    for thread in (first, suspect, later):
        thread.join(5)
    assert log == ["first in", "first out", "alone in", "alone out", "later in", "later out"]
