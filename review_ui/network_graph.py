"""A network of posts as a picture: posts and the contacts they share, laid out by force, drawn by
the server as SVG (no script, no CDN: the page's CSP forbids both).

Pure: a Network (index.network) and the posts' rows in, a Drawing of positioned shapes out; the
template turns it into <svg> elements and autoescapes every label. Shared contacts become nodes of
their own (a post links to each contact it carries), so a phone number used by twelve ads is one
visible hub; near-duplicate texts are drawn as dashed post-to-post lines.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from index.network import NEAR_DUP
from index.rows import Network, PostRow

from .entity_links import entity_url

WIDTH, HEIGHT, MARGIN = 960, 620, 40
MAX_DRAWN_POSTS = 150  # beyond this a picture stops being readable; the table lists them all
LABEL_MAX = 22
# Fill colours by post status and by contact kind (SVG presentation attributes, not CSS).
STATUS_FILL = {"new": "#f0ad4e", "confirmed": "#c9302c", "escalated": "#8a1c1c", "dismissed": "#9e9e9e"}
KIND_FILL = {"phone": "#1f77b4", "zalo": "#0a84ff", "telegram": "#2ca5e0", "bank": "#2e7d32",
             "ewallet": "#ad1457", "usdt_trc20": "#6a1b9a"}
OTHER_FILL = "#555555"


@dataclass(frozen=True)
class Node:
    key: str  # "post:12" or "phone:+8491..."
    kind: str  # "post" or the contact kind
    label: str  # short text drawn beside the shape
    title: str  # full text of the tooltip
    href: str
    x: float
    y: float
    fill: str
    start: bool = False  # a post the walk started from


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    near_dup: bool


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    nodes: list[Node]
    lines: list[Line]
    drawn_posts: int
    total_posts: int
    contacts: list[tuple[str, str, int]]  # (kind, value, posts drawn that share it), most shared first


def _short(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shared_contacts(network: Network, drawn: set[int]) -> dict[str, set[int]]:
    """"kind:value" -> the drawn posts that carry it (index.network draws each shared key as a
    star of edges from its smallest post id: the star's posts are its carriers)."""
    members: dict[str, set[int]] = {}
    for a, b, reason in network.edges:
        if reason == NEAR_DUP:
            continue
        for post_id in (a, b):
            if post_id in drawn:
                members.setdefault(reason, set()).add(post_id)
    return {reason: ids for reason, ids in members.items() if len(ids) >= 2}


def force_layout(n: int, edges: list[tuple[int, int]], iterations: int = 80, seed: int = 7) -> np.ndarray:
    """Fruchterman-Reingold positions in the unit square (deterministic for a given graph), with a
    little gravity so that separate pieces stay on the canvas."""
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.array([[0.5, 0.5]])
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = np.sqrt(1.0 / n)
    src = np.array([a for a, _ in edges], dtype=int)
    dst = np.array([b for _, b in edges], dtype=int)
    temperature = 0.1
    for step in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), 1e-6)
        np.fill_diagonal(dist2, np.inf)
        disp = np.einsum("ijk,ij->ik", delta, k * k / dist2)  # repulsion k²/d along the unit vector
        if len(src):
            d = pos[src] - pos[dst]
            length = np.maximum(np.linalg.norm(d, axis=1), 1e-3)
            pull = d * (length / k)[:, None]  # attraction d²/k along the unit vector
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        disp += (0.5 - pos) * 0.05 * n * k  # gravity
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = 0.1 * (1 - (step + 1) / iterations) + 0.002
    low, high = pos.min(axis=0), pos.max(axis=0)
    return (pos - low) / np.where(high - low > 1e-9, high - low, 1.0)


def draw(network: Network, posts: dict[int, PostRow], starts: set[int],
         max_posts: int = MAX_DRAWN_POSTS) -> Drawing:
    """The first `max_posts` posts of the walk (the closest to where it started), the contacts
    they share and their near-duplicate links, positioned on a WIDTH x HEIGHT canvas."""
    drawn_ids = [p for p in network.post_ids if p in posts][:max_posts]
    drawn = set(drawn_ids)
    contacts = shared_contacts(network, drawn)
    keys = [f"post:{p}" for p in drawn_ids] + sorted(contacts)
    index = {key: i for i, key in enumerate(keys)}
    pairs: list[tuple[int, int, bool]] = []
    for reason, ids in contacts.items():
        pairs.extend((index[f"post:{p}"], index[reason], False) for p in sorted(ids))
    for a, b, reason in network.edges:
        if reason == NEAR_DUP and a in drawn and b in drawn:
            pairs.append((index[f"post:{a}"], index[f"post:{b}"], True))
    unit = force_layout(len(keys), [(a, b) for a, b, _ in pairs])
    xy = [(MARGIN + x * (WIDTH - 2 * MARGIN), MARGIN + y * (HEIGHT - 2 * MARGIN)) for x, y in unit]

    nodes: list[Node] = []
    for post_id in drawn_ids:
        post = posts[post_id]
        x, y = xy[index[f"post:{post_id}"]]
        nodes.append(Node(
            key=f"post:{post_id}", kind="post", label=f"#{post_id}",
            title=f"#{post_id} {post.title} ({post.source})", href=f"/posts/{post_id}", x=x, y=y,
            fill=STATUS_FILL.get(post.status, OTHER_FILL), start=post_id in starts,
        ))
    for reason in sorted(contacts):
        kind, _, value = reason.partition(":")
        x, y = xy[index[reason]]
        nodes.append(Node(
            key=reason, kind=kind, label=_short(value), title=f"{kind} {value} ({len(contacts[reason])})",
            href=entity_url(kind, value), x=x, y=y, fill=KIND_FILL.get(kind, OTHER_FILL),
        ))
    lines = [Line(*xy[a], *xy[b], near_dup) for a, b, near_dup in pairs]
    ranked = sorted(contacts.items(), key=lambda item: (-len(item[1]), item[0]))
    return Drawing(
        width=WIDTH, height=HEIGHT, nodes=nodes, lines=lines, drawn_posts=len(drawn_ids),
        total_posts=network.size,
        contacts=[(r.partition(":")[0], r.partition(":")[2], len(ids)) for r, ids in ranked],
    )
