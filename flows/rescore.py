"""Rescore stored posts with the current model: in batches, each committed before the next, so
a stopped rescore resumes where it stopped (what is left still carries another model version)."""

from __future__ import annotations

from dataclasses import dataclass

from index.document import assessed_text
from index.sync import catch_up

from flows.ingest import assessment_fields
from flows.wiring import Parts


@dataclass(frozen=True)
class RescoreSummary:
    model_version: str
    to_do: int
    rescored: int
    index_pending: int
    index_error: str = ""

    def line(self) -> str:
        text = (f"rescored {self.rescored} of {self.to_do} post(s) with model {self.model_version}; "
                f"waiting for the index {self.index_pending}")
        return f"{text} — {self.index_error}" if self.index_error else text


def rescore_posts(parts: Parts, *, source: str | None = None, batch: int = 500, echo=print) -> RescoreSummary:
    store, assessor = parts.store, parts.assessor
    version = assessor.model_version
    to_do = store.count_to_rescore(version, source)
    after, rescored = 0, 0
    while items := store.posts_to_rescore(version, after_id=after, limit=batch, source=source):
        assessments = assessor.assess([assessed_text(i.title, i.text) for i in items])
        rescored += store.apply_assessments([(i, assessment_fields(a)) for i, a in zip(items, assessments, strict=True)])
        after = items[-1].post_id
        echo(f"… {rescored} of {to_do}")
    sync = catch_up(store, parts.search)
    return RescoreSummary(version, to_do, rescored, sync.pending, sync.error)
