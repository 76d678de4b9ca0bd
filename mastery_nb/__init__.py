"""mastery-nb: Jupyter-native mastery-learning courseware.

A course is a graph of notebook units; each unit assesses named learning objectives; a
learner moves on only when every objective of a unit reaches its mastery threshold.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
