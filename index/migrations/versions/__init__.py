"""Alembic revisions, one file each, applied in order by `index.migrate.upgrade_to_head`."""
