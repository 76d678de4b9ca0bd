"""Practice checks of unit basics (shipped as they are)."""

PRACTICE = {"add": "a + b"}
