"""Read-only values the store returns: frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from index.document import EntityIn, SignalIn

R = TypeVar("R")


def row_from(cls: type[R], obj: Any, **given: Any) -> R:
    """A row of `cls` from an ORM object: each field not `given` is the attribute of the same
    name (lists and dicts copied, so the row shares nothing with the session)."""
    values = {f.name: _copy(getattr(obj, f.name)) for f in fields(cls) if f.name not in given}  # type: ignore[arg-type]
    return cls(**values, **given)


def row_or_none(cls: type[R], obj: Any) -> R | None:
    return None if obj is None else row_from(cls, obj)


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


@dataclass(frozen=True)
class SourceRow:
    id: int
    name: str
    kind: str
    start_url: str
    schedule_cron: str | None
    created_at: datetime
    updated_at: datetime
    definition: dict | None = None
    paused: bool = False
    version: int = 1


@dataclass(frozen=True)
class SourceVersionRow:
    source_name: str
    version: int
    action: str
    definition: dict | None
    created_at: datetime


@dataclass(frozen=True)
class RunRow:
    id: int
    source: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    pages_fetched: int
    posts_new: int
    posts_changed: int
    posts_unchanged: int
    flagged: int
    errors: list[str]
    stats: dict
    heartbeat_at: datetime | None = None
    flow_run_id: str | None = None
    worker: str | None = None


@dataclass(frozen=True)
class PostRow:
    id: int
    source: str
    url: str
    canonical_url: str
    title: str
    text: str
    content_hash: str
    posted_at: datetime | None
    fetched_at: datetime
    first_seen: datetime
    last_seen: datetime
    raw_sha256: str
    score: float
    is_lure: bool
    threshold: float
    model_version: str
    categories: list[str]
    minor_risk: bool
    priority: int
    status: str
    phones: list[str]
    author: str | None
    external_id: str | None
    fields_from: dict | None  # field -> the extraction layer that gave it (None: stored before)


@dataclass(frozen=True)
class ReviewRow:
    """One entry of a post's review history: a decision (index.decisions.DECISIONS) or a step
    of the workflow (confirm_referral, decline_referral, reopen)."""

    id: int
    post_id: int
    username: str
    decision: str
    note: str
    created_at: datetime
    reason: str = ""  # a code of index.decisions for this decision or step
    uncertain: bool = False  # the score was near the threshold when it was decided


@dataclass(frozen=True)
class PostView(PostRow):
    signals: list[SignalIn]  # spans index into index.document.assessed_text(title, text)
    entities: list[EntityIn]
    minor_cues: list[SignalIn]  # why minor_risk is set; spans as for signals
    reviews: list[ReviewRow]
    version_count: int


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    password_hash: str
    role: str
    active: bool
    created_at: datetime
    totp_secret: str | None = None
    totp_last_step: int | None = None

    @property
    def totp_enabled(self) -> bool:
        return bool(self.totp_secret)


@dataclass(frozen=True)
class SessionRow:
    """A server-side session as admins see it (never the token, nor its hash)."""

    id: int
    username: str
    role: str
    stage: str
    created_at: datetime
    last_seen: datetime
    ip: str
    user_agent: str
    totp_pending: str | None = None


@dataclass(frozen=True)
class ThrottleRow:
    key: str  # "account:NAME" or "address:IP"
    failures: int
    last_failure_at: datetime
    locked_until: datetime | None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str | None
    action: str
    target: str
    detail: dict


@dataclass(frozen=True)
class UpsertResult:
    new: int
    changed: int
    unchanged: int
    post_ids: list[int]  # same order as the input
    outcomes: list[str]  # "new" | "changed" | "unchanged", same order as the input


@dataclass(frozen=True)
class EntityCount:
    kind: str
    value: str
    n_posts: int  # posts (this one included) that carry the same entity


@dataclass(frozen=True)
class Network:
    """Posts linked to one post by shared contacts or near-duplicate text (a connected component,
    cut at a cap). Each edge is (a, b, reason) with a < b and reason like "phone:+8491...",
    "zalo:...", "telegram:@...", "bank:VCB:..." or "near_dup"."""

    post_ids: list[int]  # breadth-first order from the starting post
    edges: list[tuple[int, int, str]]
    size: int
    first_seen: datetime | None
    last_seen: datetime | None
    truncated: bool  # True when the cap stopped the walk before the component was complete


@dataclass(frozen=True)
class LabelRow:
    """A reviewer's final verdict on a post, in the shape the classifier trains on."""

    post_id: int
    source: str
    url: str
    title: str
    text: str
    label: str  # "lure" | "legit"
    reviewer: str
    decided_at: datetime
    uncertain: bool = False  # decided near the threshold: these rows come first


@dataclass(frozen=True)
class EntitySummary:
    """One entity across the store: how many posts carry it, when it was seen, where."""

    kind: str
    value: str  # canonical (index.entity_keys)
    n_posts: int
    first_seen: datetime | None
    last_seen: datetime | None
    sources: list[tuple[str, int]]  # (source, posts), most posts first
    statuses: list[tuple[str, int]]  # (post status, posts)


@dataclass(frozen=True)
class CaseRow:
    id: int
    title: str
    status: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    n_posts: int = 0


@dataclass(frozen=True)
class CaseNoteRow:
    id: int
    case_id: int
    username: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class CasePostRow:
    post: PostRow
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class CaseView:
    case: CaseRow
    posts: list[CasePostRow]  # in the order they were added
    notes: list[CaseNoteRow]  # oldest first
    history: list[AuditRow]  # the case's audit events, oldest first


@dataclass(frozen=True)
class CaseDossier:
    """Everything a case's export needs, read in one transaction."""

    case: CaseRow
    notes: list[CaseNoteRow]
    history: list[AuditRow]
    posts: list[PostView]  # with signals, entities and reviews
    added: dict[int, tuple[str, datetime]]  # post id -> (added by, added at)


@dataclass(frozen=True)
class SavedSearchRow:
    id: int
    username: str
    name: str
    query: str
    created_at: datetime


@dataclass(frozen=True)
class AlertRow:
    id: int
    key: str
    rule: str
    channel: str
    recipient: str
    post_id: int | None
    source: str | None
    subject: str
    payload: dict
    status: str
    attempts: int
    error: str
    digest_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class WatchRow:
    id: int
    kind: str
    value: str
    note: str
    added_by: str | None
    created_at: datetime


# -- the reviewers' workflow (index.claims, index.decisions, index.queue, index.post_page) ---------


@dataclass(frozen=True)
class ClaimRow:
    post_id: int
    username: str
    claimed_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ClaimResult:
    taken: list[int]  # claimed or renewed by the caller
    held_by_others: dict[int, ClaimRow]  # live claims of someone else, left alone
    expires_at: datetime  # of the caller's claims


@dataclass(frozen=True)
class DecisionResult:
    """What one decision (of a post, a near-duplicate group or a bulk selection) did."""

    reviews: list[ReviewRow]  # one per post decided, in post id order
    skipped: dict[str, list[int]]  # reason ("claimed", "not_open", "missing", ...) -> post ids
    status: str  # the status the decided posts now have

    @property
    def post_ids(self) -> list[int]:
        return [r.post_id for r in self.reviews]

    @property
    def skipped_count(self) -> int:
        return sum(len(ids) for ids in self.skipped.values())


@dataclass(frozen=True)
class QueueRow:
    """One row of a queue tab: the most urgent post of its near-duplicate group."""

    post: PostRow
    group_size: int  # posts of the group in this tab and filter (this one included)
    network_size: int
    claim: ClaimRow | None  # a live claim on the post, anyone's


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    groups: int  # rows of the whole tab and filter
    posts: int  # posts of the whole tab and filter


@dataclass(frozen=True)
class VersionRow:
    """An earlier content of a post (post_versions), newest first; title cut for listing."""

    id: int
    title: str
    fetched_at: datetime
    replaced_at: datetime
    content_hash: str
    raw_sha256: str
    score: float
    model_version: str


@dataclass(frozen=True)
class VersionPair:
    """Two consecutive contents of a post, texts cut at the page's cap, for a diff."""

    version: VersionRow
    old_title: str
    old_text: str
    new_title: str
    new_text: str
    new_label: str  # "current" or the id of the next version
    truncated: bool  # a text was longer than the cap


@dataclass(frozen=True)
class RelatedPost:
    id: int
    title: str  # cut for listing
    source: str
    score: float
    status: str
    last_seen: datetime
    via: str  # "near_dup" or the shared contact "phone:+84..."


@dataclass(frozen=True)
class PostPage:
    """One post as its page shows it, read in bounded pieces whatever its size: the title and
    text up to a cap (their full lengths given), the signals, cues and entities whose spans
    start inside what is shown (and how many there are in all)."""

    post: PostRow  # title and text cut at the caps
    title_length: int
    text_length: int
    signals: list[SignalIn]
    signals_total: int | None  # every signal of the post; None when more than could be read
    minor_cues: list[SignalIn]
    entities: list[EntityIn]
    entities_total: int
    reviews: list[ReviewRow]
    versions: list[VersionRow]
    versions_total: int
    near_dup_cluster: int | None
    network_size: int

    @property
    def text_truncated(self) -> bool:
        return self.text_length > len(self.post.text) or self.title_length > len(self.post.title)


@dataclass(frozen=True)
class RelatedPosts:
    """Posts related to one post: its near-duplicates, and posts sharing one of its contacts."""

    near_dups: list[RelatedPost]
    near_dups_total: int
    same_contact: list[RelatedPost]
    same_contact_total: int
