"""Alembic's environment: run the migrations on the connection `store.migrate` hands over, or on the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic upgrade head` from a shell: the configured URL
    from store.config import database_url

    with create_engine(config.get_main_option("sqlalchemy.url") or database_url()).begin() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
