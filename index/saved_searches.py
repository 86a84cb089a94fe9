"""Saved searches: a user's named queries of the search language (index.search.query).

Per user; saving under a name the user already has replaces that query. Saving and deleting are
audited in the same transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.accounts import audit
from index.models import SavedSearch, utcnow
from index.rows import SavedSearchRow, row_from

NAME_MAX = 200
QUERY_MAX = 500  # the search page's own limit
MAX_PER_USER = 200


def save_search(s: Session, username: str, name: str, query: str) -> SavedSearchRow:
    name = " ".join(name.split())[:NAME_MAX]
    query = query.strip()
    if not name or not query:
        raise ValueError("a saved search needs a name and a query")
    if len(query) > QUERY_MAX:
        raise ValueError(f"a query has at most {QUERY_MAX} characters")
    row = s.scalar(sa.select(SavedSearch).where(SavedSearch.username == username, SavedSearch.name == name))
    if row is None:
        owned = s.scalar(sa.select(sa.func.count(SavedSearch.id)).where(SavedSearch.username == username)) or 0
        if owned >= MAX_PER_USER:
            raise ValueError(f"at most {MAX_PER_USER} saved searches per user")
        row = SavedSearch(username=username, name=name, query=query, created_at=utcnow())
        s.add(row)
    else:
        row.query = query
    s.flush()
    audit(s, username, "saved_search.save", f"saved_search:{row.id}", {"name": name, "query": query})
    return row_from(SavedSearchRow, row)


def list_saved_searches(s: Session, username: str) -> list[SavedSearchRow]:
    stmt = sa.select(SavedSearch).where(SavedSearch.username == username).order_by(SavedSearch.name)
    return [row_from(SavedSearchRow, r) for r in s.scalars(stmt)]


def delete_saved_search(s: Session, username: str, search_id: int) -> bool:
    """Only the owner's own saved search; False when there is none of that id for them."""
    row = s.scalar(sa.select(SavedSearch).where(SavedSearch.id == search_id, SavedSearch.username == username))
    if row is None:
        return False
    audit(s, username, "saved_search.delete", f"saved_search:{row.id}", {"name": row.name, "query": row.query})
    s.delete(row)
    return True
