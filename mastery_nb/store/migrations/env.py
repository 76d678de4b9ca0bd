"""Alembic environment for the mastery-nb store.

Migrations run from :func:`mastery_nb.store.engine.open_store`, which passes an open
connection (already holding the migration lock) in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from mastery_nb.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "mastery-nb migrations run through mastery_nb.store.open_store(), not the alembic CLI"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
