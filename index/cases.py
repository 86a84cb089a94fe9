"""Investigators' cases: posts grouped under a title, append-only notes, a status.

Every change writes its audit event in the transaction that makes it (target "case:<id>"), so a
case's history is its audit trail; the dossier export reads it back with everything else in one
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.accounts import audit
from index.chunks import chunks, unique
from index.models import AuditEvent, Case, CaseNote, CasePost, Post, utcnow
from index.reviews import get_post, post_rows
from index.rows import AuditRow, CaseDossier, CaseNoteRow, CasePostRow, CaseRow, CaseView, row_from

CASE_STATUSES = ("open", "referred", "closed")
TITLE_MAX = 300
NOTE_MAX = 10_000
MAX_POSTS_PER_CASE = 1000  # a dossier stays one readable PDF and one archive of bounded size


class CaseError(ValueError):
    """A change the case cannot take; `code` names it for the UI (unknown_case, bad_status...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def target(case_id: int) -> str:
    return f"case:{case_id}"


def _case(s: Session, case_id: int) -> Case:
    case = s.get(Case, case_id)
    if case is None:
        raise CaseError("unknown_case", f"no case {case_id}")
    return case


def _n_posts(s: Session, case_id: int) -> int:
    return s.scalar(sa.select(sa.func.count(CasePost.id)).where(CasePost.case_id == case_id)) or 0


def _row(s: Session, case: Case) -> CaseRow:
    return row_from(CaseRow, case, n_posts=_n_posts(s, case.id))


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise CaseError("empty_title", "a case needs a title")
    return title[:TITLE_MAX]


def create_case(s: Session, title: str, username: str) -> CaseRow:
    now = utcnow()
    case = Case(title=_clean_title(title), status="open", created_by=username, created_at=now, updated_at=now)
    s.add(case)
    s.flush()
    audit(s, username, "case.create", target(case.id), {"title": case.title})
    return row_from(CaseRow, case, n_posts=0)


def list_cases(s: Session, status: str | None = None, limit: int = 200) -> list[CaseRow]:
    """Most recently changed first, with their post counts."""
    counts = (
        sa.select(CasePost.case_id, sa.func.count(CasePost.id).label("n"))
        .group_by(CasePost.case_id).subquery()
    )
    stmt = sa.select(Case, sa.func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.case_id == Case.id)
    if status is not None:
        stmt = stmt.where(Case.status == status)
    stmt = stmt.order_by(Case.updated_at.desc(), Case.id.desc()).limit(limit)
    return [row_from(CaseRow, case, n_posts=int(n)) for case, n in s.execute(stmt)]


def get_case(s: Session, case_id: int) -> CaseView | None:
    case = s.get(Case, case_id)
    if case is None:
        return None
    links = list(s.scalars(sa.select(CasePost).where(CasePost.case_id == case_id).order_by(CasePost.id)))
    posts = {p.id: p for p in post_rows(s, _posts(s, [link.post_id for link in links]))}
    return CaseView(
        case=row_from(CaseRow, case, n_posts=len(links)),
        posts=[CasePostRow(posts[link.post_id], link.added_by, link.added_at) for link in links],
        notes=_notes(s, case_id),
        history=_history(s, case_id),
    )


def _posts(s: Session, post_ids: Sequence[int]) -> list[Post]:
    found: list[Post] = []
    for chunk in chunks(list(post_ids)):
        found.extend(s.scalars(sa.select(Post).where(Post.id.in_(chunk))))
    return found


def _notes(s: Session, case_id: int) -> list[CaseNoteRow]:
    stmt = sa.select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)
    return [row_from(CaseNoteRow, n) for n in s.scalars(stmt)]


def _history(s: Session, case_id: int) -> list[AuditRow]:
    """Changes and exports of the case (its views are in the audit log, not in its history)."""
    stmt = (sa.select(AuditEvent)
            .where(AuditEvent.target == target(case_id),
                   sa.or_(AuditEvent.action.like("case.%"), AuditEvent.action.like("export.%")))
            .order_by(AuditEvent.id))
    return [row_from(AuditRow, e) for e in s.scalars(stmt)]


def _touch(case: Case) -> None:
    case.updated_at = utcnow()


def add_posts(s: Session, case_id: int, post_ids: Sequence[int], username: str) -> int:
    """Add these posts (those already in the case are left as they are); returns how many were
    added. Unknown post ids are refused, nothing added (a typo must not pass silently)."""
    case = _case(s, case_id)
    wanted = unique([int(p) for p in post_ids])
    if not wanted:
        return 0
    known = {p.id for p in _posts(s, wanted)}
    unknown = [p for p in wanted if p not in known]
    if unknown:
        raise CaseError("unknown_post", f"no post {unknown[0]}")
    present = set(s.scalars(sa.select(CasePost.post_id).where(CasePost.case_id == case_id)))
    new = [p for p in wanted if p not in present]
    if len(present) + len(new) > MAX_POSTS_PER_CASE:
        raise CaseError("too_many_posts", f"a case holds at most {MAX_POSTS_PER_CASE} posts")
    if not new:
        return 0
    now = utcnow()
    s.add_all(CasePost(case_id=case_id, post_id=p, added_by=username, added_at=now) for p in new)
    _touch(case)
    s.flush()
    audit(s, username, "case.add_posts", target(case_id),
          {"post_ids": new, "already_in_case": len(wanted) - len(new)})
    return len(new)


def remove_post(s: Session, case_id: int, post_id: int, username: str) -> bool:
    case = _case(s, case_id)
    done = s.execute(
        sa.delete(CasePost).where(CasePost.case_id == case_id, CasePost.post_id == post_id)
    ).rowcount
    if done:
        _touch(case)
        audit(s, username, "case.remove_post", target(case_id), {"post_id": post_id})
    return bool(done)


def add_note(s: Session, case_id: int, username: str, text: str) -> CaseNoteRow:
    case = _case(s, case_id)
    text = text.strip()
    if not text:
        raise CaseError("empty_note", "a note needs some text")
    if len(text) > NOTE_MAX:
        raise CaseError("note_too_long", f"a note has at most {NOTE_MAX} characters")
    note = CaseNote(case_id=case_id, username=username, text=text, created_at=utcnow())
    s.add(note)
    _touch(case)
    s.flush()
    audit(s, username, "case.note", target(case_id), {"note_id": note.id})
    return row_from(CaseNoteRow, note)


def set_case_status(s: Session, case_id: int, status: str, username: str) -> CaseRow:
    if status not in CASE_STATUSES:
        raise CaseError("bad_status", f"unknown case status {status!r}; expected one of {', '.join(CASE_STATUSES)}")
    case = _case(s, case_id)
    before = case.status
    if before != status:
        case.status = status
        _touch(case)
        s.flush()
        audit(s, username, "case.status", target(case_id), {"status_before": before, "status_after": status})
    return _row(s, case)


def case_dossier(s: Session, case_id: int) -> CaseDossier | None:
    """The case, its notes and history, and each of its posts as the post page shows it."""
    view = get_case(s, case_id)
    if view is None:
        return None
    posts = [get_post(s, link.post.id) for link in view.posts]
    return CaseDossier(
        case=view.case,
        notes=view.notes,
        history=view.history,
        posts=[p for p in posts if p is not None],
        added={link.post.id: (link.added_by, link.added_at) for link in view.posts},
    )
