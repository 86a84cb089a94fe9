"""Ingest: RawPost dicts -> normalised, assessed PostIn -> store -> search index."""

from dataclasses import dataclass
from datetime import datetime, timezone

from classifier.assess import Assessment, Assessor, Entity, SignalHit
from classifier.minors import MinorCue
from classifier.signals import get_spec
from classifier.text import normalize
from index.document import EntityIn, PostIn, SignalIn, assessed_text
from index.search.base import SearchBackend
from index.store import Store
from index.sync import catch_up

BATCH = 256


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def normalized(raw: dict) -> tuple[str, str]:
    return normalize(raw.get("title") or ""), normalize(raw.get("text") or "")


def signal_in(hit: SignalHit) -> SignalIn:
    """A fired signal with its labels in both UI languages, from the classifier's catalogue."""
    try:
        spec = get_spec(hit.id)
    except KeyError:  # not in the catalogue: the hit's own label serves both languages
        return SignalIn(hit.id, hit.label, hit.label, hit.category, hit.start, hit.end, hit.phrase, hit.weight)
    return SignalIn(hit.id, spec.label_vi, spec.label_en, hit.category, hit.start, hit.end, hit.phrase, hit.weight)


def minor_cue_in(cue: MinorCue) -> SignalIn:
    """A minor-risk cue, labelled with its whole reason (label, phrase, detail) in both languages."""
    return SignalIn(cue.id, cue.reason_vi, cue.reason_en, "minor", cue.start, cue.end, cue.phrase, 0.0)


def entity_in(entity: Entity) -> EntityIn:
    return EntityIn(entity.kind, entity.value, entity.start, entity.end, entity.raw)


def to_post(raw: dict, title: str, text: str, assessment: Assessment) -> PostIn:
    return PostIn(
        source=raw["source"],
        url=raw["url"],
        canonical_url=raw.get("canonical_url") or raw["url"],
        title=title,
        text=text,
        posted_at=parse_time(raw.get("posted_at")),
        fetched_at=parse_time(raw.get("fetched_at")) or datetime.now(timezone.utc),
        raw_sha256=raw["sha256"],
        entities=tuple(entity_in(e) for e in assessment.entities),
        **assessment_fields(assessment),
        author=raw.get("author") or None,
        external_id=raw.get("external_id") or None,
        fields_from=raw.get("fields_from") or {},
    )


def assessment_fields(assessment: Assessment) -> dict:
    """What the store keeps of an assessment (index.models.ASSESSMENT_COLUMNS): at ingest and at rescoring."""
    return {
        "score": assessment.score,
        "is_lure": assessment.is_lure,
        "threshold": assessment.threshold,
        "model_version": assessment.model_version,
        "signals": tuple(signal_in(s) for s in assessment.signals),
        "categories": tuple(assessment.categories),
        "minor_risk": assessment.minor_risk,
        "priority": assessment.priority,
        "minor_cues": tuple(minor_cue_in(c) for c in assessment.minor_cues),
    }


def assess_items(items: list[dict], assessor: Assessor) -> list[PostIn]:
    """Spans of the assessments index into assessed_text(title, text) (index.document)."""
    pairs = [normalized(raw) for raw in items]
    # A birth year becomes an age at the post's date (or at the fetch, or today).
    dates = [parse_time(raw.get("posted_at")) or parse_time(raw.get("fetched_at")) for raw in items]
    assessments = assessor.assess([assessed_text(title, text) for title, text in pairs], dates=dates)
    return [to_post(raw, *pair, a) for raw, pair, a in zip(items, pairs, assessments, strict=True)]


@dataclass
class IngestCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    flagged: int = 0
    index_pending: int = 0
    index_error: str = ""


def ingest_items(items: list[dict], assessor: Assessor, store: Store, search: SearchBackend,
                 batch: int = BATCH) -> IngestCounts:
    """Store first (system of record), then bring the search index up to date.

    Each batch is committed before the next is assessed, so a crash loses at most one batch of
    work and nothing already stored; indexing follows the store's pending marks. A search engine
    that is down leaves posts pending (index_error says why); any other error propagates.
    """
    counts = IngestCounts()
    for start in range(0, len(items), batch):
        posts = assess_items(items[start : start + batch], assessor)
        result = store.upsert_posts(posts)
        counts.new += result.new
        counts.changed += result.changed
        counts.unchanged += result.unchanged
        counts.flagged += sum(p.is_lure for p in posts)
    sync = catch_up(store, search)
    counts.index_pending, counts.index_error = sync.pending, sync.error
    return counts
