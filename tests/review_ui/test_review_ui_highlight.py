"""review_ui.highlight: segments always rebuild the text; marks land on the right chars."""

from index.document import EntityIn, SignalIn, assessed_text
from review_ui.highlight import Mark, Span, post_spans, segments, title_and_text

SIG = Mark("signal", "việc nhẹ lương cao")
ENT = Mark("entity", "phone")


def joined(segs):
    return "".join(piece for piece, _ in segs)


def test_no_spans_is_one_plain_segment():
    assert segments("xin chào", []) == [("xin chào", None)]


def test_empty_text_has_no_segments():
    assert segments("", [Span(0, 3, SIG)]) == []


def test_span_in_the_middle():
    text = "Tuyển việc nhẹ lương cao ngay"
    start = text.index("việc")
    end = start + len("việc nhẹ lương cao")
    segs = segments(text, [Span(start, end, SIG)])
    assert segs == [("Tuyển ", None), ("việc nhẹ lương cao", SIG), (" ngay", None)]


def test_offset_maps_spans_of_title_newline_text_onto_the_body():
    title, text = "Tiêu đề", "Gọi 0912345678 nhé"
    combined = title + "\n" + text
    start = combined.index("0912")
    span = Span(start, start + 10, ENT)
    assert segments(text, [span], len(title) + 1) == [
        ("Gọi ", None), ("0912345678", ENT), (" nhé", None)
    ]
    # The same span lies outside the title: the title stays unmarked.
    assert segments(title, [span], 0) == [(title, None)]


def test_span_crossing_the_edge_is_clipped():
    text = "abcdef"
    assert segments(text, [Span(4, 10, SIG)]) == [("abcd", None), ("ef", SIG)]
    assert segments(text, [Span(-3, 2, SIG)], 0) == [("ab", SIG), ("cdef", None)]


def test_overlaps_never_duplicate_characters():
    text = "0123456789"
    segs = segments(text, [Span(2, 6, SIG), Span(4, 8, ENT), Span(3, 5, ENT)])
    assert joined(segs) == text
    assert segs == [("01", None), ("2345", SIG), ("67", ENT), ("89", None)]


def test_longer_span_wins_at_the_same_start():
    segs = segments("abcdef", [Span(1, 2, ENT), Span(1, 4, SIG)])
    assert segs == [("a", None), ("bcd", SIG), ("ef", None)]


def test_empty_and_reversed_spans_are_ignored():
    assert segments("abc", [Span(1, 1, SIG), Span(2, 1, SIG)]) == [("abc", None)]


def test_hostile_text_is_kept_verbatim_for_the_template_to_escape():
    text = "<script>alert(1)</script>"
    assert segments(text, [Span(0, 8, SIG)]) == [("<script>", SIG), ("alert(1)</script>", None)]


def test_post_spans_label_signals_in_the_viewers_language_and_entities_by_kind():
    signal = SignalIn("high_pay", "Lương cao bất thường", "Unusually high pay", "c", 0, 3, "abc", 1.0)
    phone = EntityIn("phone", "+84912345678", 5, 15, "0912345678")
    assert post_spans([signal], [phone], "vi") == [Span(0, 3, Mark("signal", "Lương cao bất thường")),
                                                   Span(5, 15, Mark("entity", "phone"))]
    assert post_spans([signal], [], "en") == [Span(0, 3, Mark("signal", "Unusually high pay"))]
    old = SignalIn.from_json({"id": "s1", "label": "Lương cao", "start": 0, "end": 3})  # stored before
    assert post_spans([old], [], "en") == [Span(0, 3, Mark("signal", "Lương cao"))]


def test_one_span_rule_cuts_title_and_text():
    title, text = "Tuyển gấp", "lương cao"
    start = assessed_text(title, text).index("lương")
    spans = [Span(0, 5, SIG), Span(start, start + 5, SIG)]
    assert title_and_text(title, text, spans) == ([("Tuyển", SIG), (" gấp", None)], [("lương", SIG), (" cao", None)])
