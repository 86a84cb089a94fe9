"""The network picture's pure core: shared contacts become hubs, near-duplicates dashed lines,
everything inside the canvas, the same picture for the same network, bounded time."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timezone

import numpy as np

from index.rows import Network, PostRow
from review_ui.network_graph import HEIGHT, MARGIN, WIDTH, draw, force_layout

NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)
ROW = PostRow(0, "src", "u", "c", "t", "x", "h", None, NOW, NOW, NOW, "0" * 64, 0.9, True, 0.5, "m", [], False, 1,
              "new", [], "", "", {})


def posts(*ids: int, status: str = "new") -> dict[int, PostRow]:
    return {i: replace(ROW, id=i, title=f"Tin <b>{i}</b>", status=status) for i in ids}


def test_shared_contacts_become_hubs_and_near_duplicates_dashed_lines():
    net = Network(post_ids=[1, 2, 3, 4], size=4, first_seen=None, last_seen=None, truncated=False,
                  edges=[(1, 2, "phone:+84912345678"), (1, 3, "phone:+84912345678"), (2, 4, "ewallet:MOMO:+849"),
                         (3, 4, "near_dup")])
    drawing = draw(net, posts(1, 2, 3, 4), starts={1})
    keys = [n.key for n in drawing.nodes]
    assert keys == ["post:1", "post:2", "post:3", "post:4", "ewallet:MOMO:+849", "phone:+84912345678"]
    assert sum(not line.near_dup for line in drawing.lines) == 5 and sum(line.near_dup for line in drawing.lines) == 1
    assert drawing.contacts == [("phone", "+84912345678", 3), ("ewallet", "MOMO:+849", 2)]
    hub = next(n for n in drawing.nodes if n.kind == "ewallet")
    assert hub.href == "/entities/ewallet/MOMO%3A%2B849" and hub.label == "MOMO:+849"
    assert [n.start for n in drawing.nodes if n.kind == "post"] == [True, False, False, False]
    for node in drawing.nodes:
        assert MARGIN <= node.x <= WIDTH - MARGIN and MARGIN <= node.y <= HEIGHT - MARGIN


def test_the_picture_is_capped_and_the_same_each_time():
    ids = list(range(1, 301))
    edges = [(1, i, "phone:+84900000001") for i in ids[1:]]
    net = Network(post_ids=ids, edges=edges, size=300, first_seen=None, last_seen=None, truncated=False)
    started = time.perf_counter()
    first = draw(net, posts(*ids), starts={1}, max_posts=150)
    assert time.perf_counter() - started < 5  # ~0.1 s; generous for a loaded machine
    assert (first.drawn_posts, first.total_posts) == (150, 300)
    assert draw(net, posts(*ids), starts={1}, max_posts=150) == first


def test_layout_pulls_linked_nodes_together():
    pos = force_layout(6, [(0, 1), (1, 2), (3, 4), (4, 5)])
    d = lambda a, b: float(np.linalg.norm(pos[a] - pos[b]))  # noqa: E731
    assert d(0, 1) < d(0, 4) and d(3, 4) < d(1, 4)
    assert force_layout(1, []).tolist() == [[0.5, 0.5]] and force_layout(0, []).shape == (0, 2)
