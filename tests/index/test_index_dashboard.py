"""The managers' dashboard and the audit page's reads, on SQLite and PostgreSQL: the numbers of a
small store whose every post is placed by hand, and the audit log's filters, keyset pages and
append-only guard (the database refuses UPDATE and DELETE)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from index.audit_log import AuditFilter
from index.dashboard import Counts, week_starts
from index.store import Store
from test_index_review_workflow import T0, ids, post

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)  # a Tuesday: its week began on 30 November
CATEGORIES = ("fake-export-labour", "minor-targeting", "other")


def test_week_starts_are_mondays_in_the_given_zone():
    vn = timezone(timedelta(hours=7))
    starts = week_starts(datetime(2026, 11, 29, 18, 0, tzinfo=timezone.utc), 3, vn)  # Monday 01:00 in Vietnam
    assert [s.isoformat() for s in starts] == ["2026-11-16T00:00:00+07:00", "2026-11-23T00:00:00+07:00",
                                               "2026-11-30T00:00:00+07:00"]


def test_dashboard_counts_every_term_per_week(store: Store):
    p1, p2, p3, p4, p5, p8, p9, p6, p7 = ids(
        store,
        post(1, day=0),  # Sunday 1 Nov: the week of 26 Oct; decided a lure
        post(2, day=0, score=0.2, is_lure=False),  # received and classified, nothing to review
        post(3, day=1, minor=True, categories=("minor-targeting",)),  # week of 2 Nov: needs more information
        post(4, day=1, score=0.3, is_lure=False, minor=True),  # minor risk queues though not flagged: waiting
        post(5, day=2, source="board-b"),  # referred, then confirmed by a second reviewer
        post(8, day=2),  # not a lure
        replace(post(9, day=2, score=0.1, is_lure=False), model_version=""),  # stored without a model's score
        post(6, day=29),  # Monday 30 Nov: this week, waiting
        post(7, day=-100),  # long before the window, still waiting
    )
    store.decide([p1], "alice", "lure", "task_scam", "", now=NOW)
    store.decide([p3], "alice", "needs_info", "unclear_text", "", now=NOW)
    store.decide([p5], "alice", "escalate", "organised_network", "", now=NOW)
    store.confirm_referral([p5], "bob", "", now=NOW)
    store.decide([p8], "alice", "not_lure", "news_or_warning", "", now=NOW)

    board = store.dashboard(NOW, 12, timezone.utc, CATEGORIES)
    assert board.since == datetime(2026, 9, 14, tzinfo=timezone.utc) and len(board.weeks) == 12
    by_week = {w.start.date().isoformat(): w.counts for w in board.weeks}
    assert by_week["2026-10-26"] == Counts(received=2, classified=2, to_review=1, triaged=1, resolved=1)
    assert by_week["2026-11-02"] == Counts(received=5, classified=4, to_review=4, triaged=3, resolved=2)
    assert by_week["2026-11-30"] == Counts(received=1, classified=1, to_review=1, triaged=0, resolved=0)
    assert sum(w.counts.received for w in board.weeks) == 8  # post 7 is outside the window
    assert board.totals == Counts(received=8, classified=7, to_review=6, triaged=4, resolved=3)
    assert board.totals.share_classified == pytest.approx(7 / 8) and board.totals.share_resolved == pytest.approx(0.5)
    assert by_week["2026-11-16"].share_resolved is None  # nothing received: no share

    w = board.waiting
    assert (w.pending, w.minor) == (4, 2)  # posts 3, 4, 6 and 7; 3 and 4 name a minor
    assert w.oldest == T0 - timedelta(days=100)
    assert w.median == T0 + timedelta(days=1)  # 7, 3, 4, 6 by first seen: the third

    sources = dict(board.by_source)
    assert list(sources) == ["board-a", "board-b"]
    assert sources["board-b"] == Counts(received=1, classified=1, to_review=1, triaged=1, resolved=1)
    assert sources["board-a"].received == 7
    categories = dict(board.by_category)
    assert list(categories) == list(CATEGORIES)
    assert (categories["minor-targeting"].received, categories["minor-targeting"].to_review,
            categories["minor-targeting"].resolved) == (1, 1, 0)
    assert categories["fake-export-labour"].received == 5 and categories["other"] == Counts()  # to review only


def test_dashboard_weeks_are_bounded(store: Store):
    for weeks in (0, 13):
        with pytest.raises(ValueError, match="weeks must be"):
            store.dashboard(NOW, weeks, timezone.utc, CATEGORIES)
    empty = store.dashboard(NOW, 1, timezone.utc, ())
    assert empty.totals == Counts() and empty.waiting.pending == 0 and empty.waiting.oldest is None


# -- the audit log ------------------------------------------------------------------------------------

def test_audit_filters_and_keyset_pages(store: Store):
    for n in range(7):
        store.audit("alice", "view_post", f"post:{n + 10}", {"n": n})
    store.audit("ivan", "export.search_csv", "tuyển dụng", {"rows": 3})
    store.audit("ivan", "export.dossier", "case:1", {})
    store.audit(None, "access_refused", "/admin/users", {"status": 401})
    everything = store.audit_page(AuditFilter())
    assert len(everything) == 10 and [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)

    first = store.audit_page(AuditFilter(username="alice"), limit=3)
    second = store.audit_page(AuditFilter(username="alice"), before=first[-1].id, limit=3)
    third = store.audit_page(AuditFilter(username="alice"), before=second[-1].id, limit=3)
    assert [e.detail["n"] for e in first + second + third] == [6, 5, 4, 3, 2, 1, 0]
    assert [e.action for e in store.audit_page(AuditFilter(action="export."))] == ["export.dossier",
                                                                                  "export.search_csv"]
    assert [e.target for e in store.audit_page(AuditFilter(action="export.dossier"))] == ["case:1"]
    assert {e.target for e in store.audit_page(AuditFilter(target="post:1"))} == {f"post:{n}" for n in range(10, 17)}
    assert store.audit_page(AuditFilter(target="post:1_")) == []  # a LIKE wildcard is a plain character
    assert [e.action for e in store.audit_page(AuditFilter(username="-"))] == ["access_refused"]
    at = everything[0].at
    assert len(store.audit_page(AuditFilter(at_from=at - timedelta(minutes=1), at_to=at + timedelta(minutes=1)))) == 10
    assert store.audit_page(AuditFilter(at_from=at + timedelta(minutes=1))) == []
    assert [e.detail["n"] for e in store.audit_rows(AuditFilter(username="alice"), 5)] == [6, 5, 4, 3, 2]
    assert store.audit_actions() == ["access_refused", "export.dossier", "export.search_csv", "view_post"]


def test_the_database_refuses_to_change_or_delete_an_audit_event(store: Store):
    store.audit("alice", "review.decision", "post:1", {"decision": "lure"})
    for statement in ("UPDATE audit_events SET username = 'mallory'", "DELETE FROM audit_events"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(sa.text(statement))
    (event,) = store.list_audit(limit=5)
    assert (event.username, event.action) == ("alice", "review.decision")
    store.audit("ana", "view_audit", "audit")  # appending still works
    assert store.audit_count() == 2
