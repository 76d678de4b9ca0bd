"""Grading: the queue worker (``mastery-nb grade``) and the grading of one attempt.

Grading one attempt is a pure function of (bundle, notebook) -> :class:`AttemptResult`
(:mod:`mastery_nb.grade.attempt`), run in a sandboxed child process
(:mod:`mastery_nb.grade.sandbox`), so it can run in the local process pool or elsewhere.
"""
