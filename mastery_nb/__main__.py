"""``python -m mastery_nb`` is the same as the ``mastery-nb`` command."""

from mastery_nb.cli import main

raise SystemExit(main())
