"""The dossier's PDF: a case in Vietnamese, readable on paper and in court.

fpdf2 with DejaVu Sans embedded (a Unicode TrueType font, subset into the file), so every
Vietnamese diacritic survives printing and text extraction. The fonts come with matplotlib, a
dependency already (Bitstream Vera licence, DejaVu changes in the public domain).

Scraped text is hostile but inert here: it is drawn as text, never interpreted. It is still
NFC-normalised, stripped of control and formatting characters (bidi overrides), capped in length
(the full text is in case.json), and characters the font lacks are shown as □.
Lines are wrapped here, word by word, and drawn one cell each: fpdf2's own paragraph breaking
costs quadratic time on long paragraphs (8x slower on a 360-character one).
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from index.document import assessed_text
from index.rows import CaseDossier, PostView

from .i18n import translator
from .rendering import format_when

FONT = "dejavu"
TEXT_MAX = 3000  # characters of a post's text in the PDF
CONTEXT = 60  # characters shown on each side of an evidence span
MISSING_GLYPH = "□"
LINE_H = 5.2


@cache
def font_files() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold, from matplotlib's data (found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (which ships the DejaVu Sans fonts of the dossier) is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    for path in (regular, bold):
        if not path.is_file():
            raise RuntimeError(f"font file missing: {path}")
    return regular, bold


def clean(text: str, covered: Callable[[int], bool]) -> str:
    """NFC text without control/format characters (newlines kept, tabs as spaces); characters the
    font cannot draw become MISSING_GLYPH."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch == "\n":
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch if covered(ord(ch)) else MISSING_GLYPH)
    return "".join(out)


def excerpt(text: str, start: int, end: int, context: int = CONTEXT) -> str:
    """The span with some text around it, the span itself between « »."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before = text[max(0, start - context):start]
    after = text[end:end + context]
    lead = "…" if start - context > 0 else ""
    tail = "…" if end + context < len(text) else ""
    return " ".join(f"{lead}{before}«{text[start:end]}»{after}{tail}".split())


class DossierPDF(FPDF):
    def __init__(self, title: str, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        regular, bold = font_files()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_auto_page_break(auto=True, margin=16)
        self.set_title(title)
        self.set_creator("lurewatch")
        self._footer_text = footer_text
        self._cmap = self.fonts[FONT].cmap

    def covered(self, codepoint: int) -> bool:
        return codepoint in self._cmap

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(110)
        self.cell(0, 5, f"{self._footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    # -- writing -------------------------------------------------------------------------------

    def lines(self, text: str, size: float = 9.5, bold: bool = False, indent: float = 0.0) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        width = self.epw - indent
        for line in self._wrap(clean(text, self.covered), width):
            self.set_x(self.l_margin + indent)
            self.cell(width, LINE_H * size / 9.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(2)
        self.lines(text, size=size, bold=True)
        self.ln(1)

    def fact(self, label: str, value: str, alert: bool = False) -> None:
        """"label: value" with the label in bold, wrapped under the value (in red: `alert`)."""
        self.set_font(FONT, "B", 9)
        label_w = 44
        label = clean(label, self.covered)
        if self.get_string_width(label) > label_w - 2:  # a long label gets a line of its own
            self.cell(self.epw, LINE_H, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_x(self.l_margin + label_w)
        else:
            self.cell(label_w, LINE_H, label)
        self.set_font(FONT, "B" if alert else "", 9)
        if alert:
            self.set_text_color(170, 0, 0)
        value_lines = self._wrap(clean(value or "—", self.covered), self.epw - label_w)
        for i, line in enumerate(value_lines or [""]):
            if i:
                self.set_x(self.l_margin + label_w)
            self.cell(self.epw - label_w, LINE_H, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)

    def _wrap(self, text: str, width: float) -> list[str]:
        space = self.get_string_width(" ")
        out: list[str] = []
        for para in text.split("\n"):
            line, used = "", 0.0
            for word in para.split():
                w = self.get_string_width(word)
                if line and used + space + w > width:
                    out.append(line)
                    line, used = "", 0.0
                while w > width:  # a word wider than the line (a URL, a hash): cut it
                    cut = max(1, int(len(word) * width / w))
                    while cut > 1 and self.get_string_width(word[:cut]) > width:
                        cut -= 1
                    out.append(word[:cut])
                    word = word[cut:]
                    w = self.get_string_width(word)
                if word:
                    line = f"{line} {word}" if line else word
                    used = used + space + w if used else w
            out.append(line)
        return out


def render_dossier_pdf(
    dossier: CaseDossier, snapshot_checks: dict[str, str], files: Sequence[tuple[str, str]],
    exported_by: str, exported_at: datetime,
) -> bytes:
    """The PDF (in Vietnamese). snapshot_checks: raw sha256 -> evidence_files check result;
    files: (path in the archive, sha256) of the snapshot files and case.json, listed at the end."""
    t = translator("vi")
    case = dossier.case
    pdf = DossierPDF(f"{t('case.dossier_title')} #{case.id}",
                     f"lurewatch · {t('case.dossier_title')} #{case.id} · {format_when(exported_at)}")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.heading(f"{t('case.dossier_title')} #{case.id}: {case.title}", size=15)
    pdf.fact(t("case.status"), t(f"case.status.{case.status}"))
    pdf.fact(t("case.created"), f"{format_when(case.created_at)} · {case.created_by}")
    pdf.fact(t("case.exported"), f"{format_when(exported_at)} · {exported_by}")
    pdf.fact(t("case.n_posts"), str(len(dossier.posts)))
    pdf.lines(t("case.dossier_intro"), size=8.5)

    pdf.heading(t("case.posts"), size=11)
    for number, post in enumerate(dossier.posts, 1):
        check = t(f"case.check.{snapshot_checks.get(post.raw_sha256, 'missing')}")
        pdf.lines(f"{number}. #{post.id} {post.title} — {t(f'status.{post.status}')}; {check}", size=9)

    if dossier.notes:
        pdf.heading(t("case.notes"))
        for note in dossier.notes:
            pdf.lines(f"{format_when(note.created_at)} · {note.username}", size=8.5, bold=True)
            pdf.lines(note.text, indent=4)

    for number, post in enumerate(dossier.posts, 1):
        _post_section(pdf, t, number, post, dossier.added.get(post.id), snapshot_checks.get(post.raw_sha256, "missing"))

    pdf.heading(t("case.history"))
    for event in dossier.history:
        pdf.lines(f"{format_when(event.at)} · {event.username or '—'} · {event.action}", size=8.5)
    pdf.heading(t("case.files"))
    pdf.lines(t("case.files_intro"), size=8.5)
    for path, sha in files:
        pdf.lines(f"{sha}  {path}", size=7.5)
    return bytes(pdf.output())


def _post_section(pdf: DossierPDF, t: Callable[[str], str], number: int, post: PostView,
                  added: tuple[str, datetime] | None, check: str) -> None:
    pdf.add_page()
    pdf.heading(f"{number}. {t('post.title')} #{post.id}: {post.title}")
    pdf.fact(t("post.source"), post.source)
    pdf.fact("URL", post.url)
    pdf.fact(t("post.posted_at"), format_when(post.posted_at))
    pdf.fact(t("post.first_seen"), format_when(post.first_seen))
    pdf.fact(t("post.last_seen"), format_when(post.last_seen))
    pdf.fact(t("case.fetched_at"), format_when(post.fetched_at))
    pdf.fact(t("post.status"), t(f"status.{post.status}"))
    pdf.fact(t("post.score"), f"{post.score:.3f} ({t('post.threshold')} {post.threshold:.3f}, {post.model_version})")
    pdf.fact(t("post.categories"), ", ".join(post.categories))
    if post.minor_risk:
        pdf.fact(t("post.minor_risk"), "; ".join(c.label("vi") for c in post.minor_cues) or "✓")
    if added:
        pdf.fact(t("case.added"), f"{format_when(added[1])} · {added[0]}")
    pdf.fact(t("case.raw_sha256"), post.raw_sha256)
    pdf.fact(t("case.snapshot_check"), t(f"case.check.{check}"), alert=check != "ok")
    pdf.fact(t("case.content_hash"), post.content_hash)

    full = assessed_text(post.title, post.text)
    pdf.heading(t("case.evidence"), size=11)
    spans = [(c.label("vi"), c.start, c.end) for c in post.minor_cues]
    spans += [(s.label("vi") or s.id, s.start, s.end) for s in post.signals]
    if not spans:
        pdf.lines(t("post.no_signals"))
    for label, start, end in spans:
        pdf.lines(f"• {label} [{start}–{end}]", bold=True, size=9)
        pdf.lines(excerpt(full, start, end), indent=4, size=9)

    pdf.heading(t("post.entities"), size=11)
    if not post.entities:
        pdf.lines("—")
    for e in post.entities:
        pdf.lines(f"• {t('entity.kind.' + e.kind)}: {e.value}  («{e.raw}» [{e.start}–{e.end}])", size=9)

    pdf.heading(t("post.reviews"), size=11)
    if not post.reviews:
        pdf.lines(t("post.no_reviews"))
    for r in post.reviews:
        note = f": {r.note}" if r.note else ""
        pdf.lines(f"• {format_when(r.created_at)} · {r.username} · {t('decision.' + r.decision)}{note}", size=9)

    pdf.heading(t("post.text"), size=11)
    text = post.text if len(post.text) <= TEXT_MAX else post.text[:TEXT_MAX] + "…\n" + t("case.text_cut")
    pdf.lines(text, size=9)
