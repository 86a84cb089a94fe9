"""What a post's page shows, read in bounded pieces: a hostile 10 MB ad costs what a short one does.

The title and text are cut at caps in SQL (their full lengths come along), and so is the JSON of
the signals: its first elements are decoded one by one, never the whole list (so a huge list's
length is not known: "more than" what was read). Entities come as
their first rows. Everything a page lists has a cap and a total, so the page can say what it
left out. Also here: earlier versions of the post (two consecutive ones for a diff) and the posts
related to it (near-duplicates, shared contacts).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.orm import Session, defer

from index.chunks import chunks
from index.document import EntityIn, SignalIn
from index.entities import entity_in
from index.entity_keys import LINK_KINDS
from index.models import EntityRow, Post, PostVersion, Review
from index.rows import PostPage, PostRow, RelatedPost, RelatedPosts, ReviewRow, VersionPair, VersionRow, row_from

TITLE_CAP = 500
# Characters of a JSON list read from the database: a few thousand signals (~250 bytes each).
JSON_PREFIX_CAP = 1_000_000
MAX_SPANS = 2000  # signals, cues and entities kept for marking and listing
MAX_VERSIONS = 50
LISTED_TITLE = 200  # characters of a title in lists (versions, related posts)

_decoder = json.JSONDecoder()


def json_list_prefix(text: str | None, limit: int) -> tuple[list[dict], bool]:
    """The first complete objects (at most `limit`) of a JSON list that may be cut anywhere, and
    whether they are the whole list."""
    out: list[dict] = []
    if not text:
        return out, True
    pos = text.find("[") + 1
    if pos == 0:
        return out, True
    end = len(text)
    while True:
        while pos < end and text[pos] in " \t\r\n,":
            pos += 1
        if pos < end and text[pos] == "]":
            return out, True
        if pos >= end or len(out) == limit:
            return out, False
        try:
            item, pos = _decoder.raw_decode(text, pos)
        except json.JSONDecodeError:  # cut in the middle of an element: the prefix ends here
            return out, False
        if isinstance(item, dict):
            out.append(item)


def _json_text(column: sa.ColumnElement) -> sa.ColumnElement[str]:
    return sa.func.substr(sa.cast(column, sa.Text), 1, JSON_PREFIX_CAP)


def post_page(s: Session, post_id: int, text_cap: int, title_cap: int = TITLE_CAP,
              max_spans: int = MAX_SPANS) -> PostPage | None:
    """The post cut at `title_cap` / `text_cap` characters, with what lies in the shown part."""
    big = (Post.title, Post.text, Post.signals, Post.minor_cues, Post.near_dup_sig)
    post = s.scalar(sa.select(Post).options(*(defer(c) for c in big)).where(Post.id == post_id))
    if post is None:
        return None
    cut = s.execute(
        sa.select(
            sa.func.substr(Post.title, 1, title_cap).label("title"), sa.func.length(Post.title).label("title_len"),
            sa.func.substr(Post.text, 1, text_cap).label("text"), sa.func.length(Post.text).label("text_len"),
            # Not json_array_length: it parses the whole list (a second for a 10 MB ad's signals).
            _json_text(Post.signals).label("signals"), _json_text(Post.minor_cues).label("cues"),
        ).where(Post.id == post_id)
    ).one()
    # Spans index into title + "\n" + text: keep those starting inside the shown part.
    shown_end = (cut.title_len or 0) + 1 + len(cut.text)  # index.document.text_offset of the whole title
    signal_dicts, whole = json_list_prefix(cut.signals, max_spans)
    signals = [SignalIn.from_json(d) for d in signal_dicts]
    cues = [SignalIn.from_json(d) for d in json_list_prefix(cut.cues, max_spans)[0]]
    entity_rows = list(s.scalars(
        sa.select(EntityRow).where(EntityRow.post_id == post_id).order_by(EntityRow.id).limit(max_spans)
    ))
    entities = [entity_in(e) for e in entity_rows]
    n_entities = s.scalar(sa.select(sa.func.count()).select_from(EntityRow).where(EntityRow.post_id == post_id))
    reviews = s.scalars(sa.select(Review).where(Review.post_id == post_id).order_by(Review.id))
    versions, n_versions = post_versions(s, post_id)
    phones = list(dict.fromkeys(e.value for e in entities if e.kind == "phone"))
    row = row_from(PostRow, post, title=cut.title, text=cut.text, phones=phones)
    return PostPage(
        post=row, title_length=cut.title_len, text_length=cut.text_len,
        signals=[x for x in signals if x.start < shown_end], signals_total=len(signals) if whole else None,
        minor_cues=[x for x in cues if x.start < shown_end],
        entities=entities, entities_total=n_entities or 0,
        reviews=[row_from(ReviewRow, r) for r in reviews],
        versions=versions, versions_total=n_versions,
        near_dup_cluster=post.near_dup_cluster, network_size=post.network_size,
    )


def full_text(s: Session, post_id: int) -> tuple[str, str] | None:
    """(title, text) uncut: the download of a post's whole text."""
    row = s.execute(sa.select(Post.title, Post.text).where(Post.id == post_id)).one_or_none()
    return None if row is None else (row.title, row.text)


def _version_cols() -> tuple:
    return (PostVersion.id, sa.func.substr(PostVersion.title, 1, LISTED_TITLE).label("title"), PostVersion.fetched_at,
            PostVersion.replaced_at, PostVersion.content_hash, PostVersion.raw_sha256, PostVersion.score,
            PostVersion.model_version)


def _version_row(row: sa.Row) -> VersionRow:
    return VersionRow(id=row.id, title=row.title, fetched_at=row.fetched_at, replaced_at=row.replaced_at,
                      content_hash=row.content_hash, raw_sha256=row.raw_sha256, score=row.score,
                      model_version=row.model_version)


def post_versions(s: Session, post_id: int, limit: int = MAX_VERSIONS) -> tuple[list[VersionRow], int]:
    """The post's earlier contents, newest first (at most `limit`), and how many there are."""
    rows = s.execute(sa.select(*_version_cols()).where(PostVersion.post_id == post_id)
                     .order_by(PostVersion.id.desc()).limit(limit))
    total = s.scalar(sa.select(sa.func.count()).select_from(PostVersion).where(PostVersion.post_id == post_id))
    return [_version_row(r) for r in rows], total or 0


def version_pair(s: Session, post_id: int, version_id: int, cap: int) -> VersionPair | None:
    """A version of the post and the content that replaced it (the next version, or the current
    post), titles and texts cut at `cap` characters; None when the version is not the post's."""
    def cut(title: sa.ColumnElement, text: sa.ColumnElement) -> tuple:
        return (sa.func.substr(title, 1, cap).label("cut_title"), sa.func.substr(text, 1, cap).label("cut_text"),
                sa.func.length(title).label("title_len"), sa.func.length(text).label("text_len"))

    old = s.execute(sa.select(*_version_cols(), *cut(PostVersion.title, PostVersion.text))
                    .where(PostVersion.id == version_id, PostVersion.post_id == post_id)).one_or_none()
    if old is None:
        return None
    new = s.execute(sa.select(PostVersion.id, *cut(PostVersion.title, PostVersion.text))
                    .where(PostVersion.post_id == post_id, PostVersion.id > version_id)
                    .order_by(PostVersion.id).limit(1)).one_or_none()
    label = str(new.id) if new is not None else "current"
    if new is None:
        new = s.execute(sa.select(*cut(Post.title, Post.text)).where(Post.id == post_id)).one()
    truncated = max(old.title_len, old.text_len, new.title_len, new.text_len) > cap
    return VersionPair(version=_version_row(old), old_title=old.cut_title, old_text=old.cut_text,
                       new_title=new.cut_title, new_text=new.cut_text, new_label=label, truncated=truncated)


def _related(s: Session, ids: list[int], via: dict[int, str]) -> list[RelatedPost]:
    if not ids:
        return []
    rows = s.execute(sa.select(Post.id, sa.func.substr(Post.title, 1, LISTED_TITLE).label("title"), Post.source,
                               Post.score, Post.status, Post.last_seen).where(Post.id.in_(ids)))
    by_id = {r.id: r for r in rows}
    return [RelatedPost(id=i, title=by_id[i].title, source=by_id[i].source, score=by_id[i].score,
                        status=by_id[i].status, last_seen=by_id[i].last_seen, via=via[i]) for i in ids if i in by_id]


def related_posts(s: Session, post_id: int, entities: list[EntityIn], limit: int = 10,
                  max_keys: int = 20) -> RelatedPosts:
    """Near-duplicates of the post and posts sharing one of its contacts (of `entities`, at most
    `max_keys` distinct ones), most recently seen first, at most `limit` of each, with totals."""
    cluster = s.scalar(sa.select(Post.near_dup_cluster).where(Post.id == post_id))
    dups: list[int] = []
    n_dups = 0
    if cluster is not None:
        same = sa.and_(Post.near_dup_cluster == cluster, Post.id != post_id)
        dups = list(s.scalars(sa.select(Post.id).where(same).order_by(Post.last_seen.desc(), Post.id.desc())
                              .limit(limit)))
        n_dups = s.scalar(sa.select(sa.func.count()).select_from(Post).where(same)) or 0
    keys = list(dict.fromkeys((e.kind, e.value) for e in entities if e.kind in LINK_KINDS))[:max_keys]
    via: dict[int, str] = {}
    sharing: set[int] = set()
    for kind, value in keys:
        carriers = sa.select(EntityRow.post_id).where(EntityRow.kind == kind, EntityRow.value == value,
                                                      EntityRow.post_id != post_id).distinct()
        found = list(s.scalars(carriers))
        sharing.update(found)
        for pid in found:
            via.setdefault(pid, f"{kind}:{value}")
    seen: list[tuple] = []  # (post id, last seen)
    for chunk in chunks(sorted(sharing)):
        seen.extend((pid, last) for pid, last in s.execute(sa.select(Post.id, Post.last_seen).where(Post.id.in_(chunk))))
    seen.sort(key=lambda r: (r[1], r[0]), reverse=True)
    contact_ids = [pid for pid, _ in seen[:limit]]
    return RelatedPosts(
        near_dups=_related(s, dups, {pid: "near_dup" for pid in dups}), near_dups_total=n_dups,
        same_contact=_related(s, contact_ids, via), same_contact_total=len(sharing),
    )


def entity_post_counts(s: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """How many posts carry each (kind, value)."""
    out: dict[tuple[str, str], int] = {}
    for kind, value in keys:
        n = s.scalar(sa.select(sa.func.count(sa.distinct(EntityRow.post_id)))
                     .where(EntityRow.kind == kind, EntityRow.value == value))
        out[(kind, value)] = n or 0
    return out
