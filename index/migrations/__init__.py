"""Alembic migrations of the system of record, run in code by `index.migrate` (no alembic.ini)."""
