"""Pure parts of operations: schedules checked on entry, a source's health from its runs,
the webhook signature, a run's stats as an artifact table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from index.rows import RunRow, SourceRow

from flows.artifacts import artifact_key, markdown_table, stats_rows
from flows.health import source_health
from flows.notify import signature
from flows.schedules import ScheduleError, parse_schedule

NOW = datetime(2026, 11, 30, 5, 0, tzinfo=timezone.utc)  # 12:00 in Ho Chi Minh City
TZ = "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize("text, message", [
    ("not a cron", "neither a cron expression"), ("99 * * * *", "bad minute"), ("* * * * * *", "five fields"),
    ("0 25 * * *", "bad hour"), ("30s", "at least 60 s"), ("H * * * *", "bad minute"),
])
def test_bad_schedules_are_refused_with_the_problem(text, message):
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text)


def test_cron_runs_in_the_schedule_time_zone_and_intervals_are_periods():
    daily = parse_schedule("0 8 * * *")
    assert daily.next_after(NOW, TZ) == datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)  # 08:00 +07
    assert daily.period_seconds(TZ, NOW) == 86400
    assert parse_schedule("every 15m").interval_seconds == 900 and parse_schedule("2h").period_seconds(TZ, NOW) == 7200


def source(**kw) -> SourceRow:
    base = dict(id=1, name="board", kind="classifieds", start_url="https://b.vn/", schedule_cron="0 * * * *",
                created_at=NOW - timedelta(days=3), updated_at=NOW - timedelta(days=3))
    return SourceRow(**(base | kw))


def run(i: int, status: str = "completed", new: int = 5, started: datetime | None = None, errors=()) -> RunRow:
    started = started or NOW - timedelta(minutes=10 * i)
    return RunRow(id=100 - i, source="board", started_at=started, finished_at=started + timedelta(minutes=1),
                  status=status, pages_fetched=3, posts_new=new, posts_changed=0, posts_unchanged=0, flagged=0,
                  errors=list(errors), stats={})


def health(runs, **kw):
    return source_health(source(**kw), runs, NOW, timezone=TZ, late_after_periods=2)


def test_a_healthy_source_has_its_next_run():
    h = health([run(1), run(2)])
    assert (h.broken, h.late) == ("", "") and h.next_run == datetime(2026, 11, 30, 6, 0, tzinfo=timezone.utc)


def test_a_failed_or_crashed_last_run_is_broken():
    assert "run 99 failed: cannot reach" in health([run(1, "failed", errors=["cannot reach https://b.vn/"])]).broken
    assert health([run(1, "crashed"), run(2)]).broken_run == 99


def test_nothing_where_there_used_to_be_posts_is_broken_but_a_quiet_board_is_not():
    assert "found no posts where run 98 found 5" in health([run(1, new=0), run(2)]).broken
    assert health([run(1, new=0), run(2, new=0)]).broken == ""


def test_late_after_two_periods_without_a_run_unless_paused():
    old = [run(1, started=NOW - timedelta(hours=3))]
    assert "last run started 3 h ago" in health(old).late
    assert health(old, paused=True).late == "" and health([run(1)]).late == ""


def test_the_signature_covers_timestamp_and_body():
    one = signature("s", "1700000000", b'{"a":1}')
    assert one.startswith("sha256=") and len(one) == 71
    assert one != signature("s", "1700000001", b'{"a":1}') != signature("t", "1700000000", b'{"a":1}')


def test_stats_become_a_table():
    rows = stats_rows({"pages_fetched": 3, "dropped": {"no_text": 2}, "errors": ["x", "y"]})
    assert rows == [("pages_fetched", "3"), ("dropped/no_text", "2"), ("errors", "2 item(s)")]
    assert "| dropped/no_text | 2 |" in markdown_table("a|b", rows)
    assert artifact_key("crawl", "Demo Board_1") == "crawl-demo-board-1"


def test_status_and_runs_print_times_in_the_schedules_timezone() -> None:
    from flows.status import OperationsStatus, local_time, status_lines

    when = datetime(2026, 11, 30, 16, 41, tzinfo=timezone.utc)
    assert local_time(when, "Asia/Ho_Chi_Minh") == "2026-11-30 23:41"
    assert local_time(None, "Asia/Ho_Chi_Minh") == "-"
    header = status_lines(OperationsStatus([], 0, 0, 0, 0), "Asia/Ho_Chi_Minh")[0]
    assert header.endswith("(times in Asia/Ho_Chi_Minh)")
