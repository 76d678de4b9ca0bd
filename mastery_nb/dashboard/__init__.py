"""The class dashboard: what a course's staff see of the class, and grade and change.

- :mod:`.facts`: what the dashboard knows of each learner, read from the store in bulk;
- :mod:`.snapshot`: the class in memory, refreshed by reading only what changed;
- :mod:`.rules`: cell states and who "needs you now";
- :mod:`.reports`: the documents (heatmap page, units, needs, items, review queue);
- :mod:`.learner`: one learner's record;
- :mod:`.course`: :class:`~mastery_nb.dashboard.course.CourseDashboard`, one course's
  dashboard as the service uses it;
- :mod:`.groups`: who is in which group (the hub's groups or a file);
- :mod:`.html`, :mod:`.plots`: the pages (server-rendered, no script) and their drawings;
- :mod:`.seed`: a simulated class written through the real submit and record paths.

docs/dashboard.md shows it.
"""
