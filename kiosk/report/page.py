"""The page template both PDFs share: the A4 frame, fonts set up once, "page X of Y".

The clinician's summary (``pdf``) and the patient's copy (``patient_copy``) each bring
their story and their own header and footer (``decorate``); ``build_document`` lays
the story out once and draws the decoration on every page when the total is known.
Neither module imports the other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from kiosk.report.bidi import RichParagraph
from kiosk.report.fonts import Fonts, register_fonts

CREATOR = "dn-kiosk"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
HEADER_TOP = 12 * mm  # from the top edge to the header's first baseline
HEADER_RULE = 22 * mm  # from the top edge to the rule under the header
FOOTER_RULE = 15 * mm  # from the bottom edge
FOOTER_TEXT = 10 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

#: Draws a page's header and footer: (canvas, page number, number of pages).
Decorate = Callable[[Any, int, int], None]


def body_frame(below_header: float) -> Frame:
    """The page's text area: full width between the header rule (less ``below_header``)
    and the footer rule, with no padding (the layout sets its own spacing)."""
    return Frame(
        MARGIN_X,
        FOOTER_RULE + 4 * mm,
        FRAME_WIDTH,
        PAGE_HEIGHT - HEADER_RULE - below_header - FOOTER_RULE - 4 * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )


@functools.cache
def setup_fonts() -> Fonts:
    """What every build needs, done once per process."""
    # Streams (the embedded fonts, the signature image) are written as binary, not
    # ASCII85, which ReportLab encodes in pure Python: about 2.5 ms less per build (see
    # docs/performance.md). Nothing sends these files through a 7-bit channel.
    rl_config.useA85 = 0
    return register_fonts()


def build_document(
    out: BinaryIO,
    story: list[Flowable],
    decorate: Decorate,
    fonts: Fonts,
    below_header: float,
    **metadata: str,
) -> None:
    """Lay ``story`` out on A4 pages and write the PDF to ``out``.

    ``metadata`` (title, author, subject, lang) must hold no patient data: file
    browsers and print queues show it.
    """
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        pageTemplates=[PageTemplate(id="page", frames=[body_frame(below_header)])],
        keywords="",
        creator=CREATOR,
        initialFontName=fonts.regular,
        **metadata,
    )
    doc.build(story, canvasmaker=functools.partial(NumberedCanvas, decorate=decorate))


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut short with an ellipsis so that it fits ``width`` on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class Paragraph(RichParagraph):
    """A ``Paragraph`` that does not break its lines again for the same width.

    It is a ``RichParagraph``: fallback fonts, and right-to-left text (an Arabic name
    or answer) shaped and in display order (``kiosk.report.bidi``).

    ReportLab wraps a paragraph more than once at the same width: a table measures its
    cells and wraps them again to draw them, and ``KeepTogether`` measures what the
    frame then wraps. Remembering the last result saves about a tenth of a build.
    """

    _last_wrap: tuple[float, tuple[float, float]] | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        last = self._last_wrap
        # ``split`` drops the line breaks (``blPara``) when nothing fits; then redo them.
        if last is not None and last[0] == available_width and "blPara" in self.__dict__:
            return last[1]
        size: tuple[float, float] = super().wrap(available_width, available_height)
        self._last_wrap = (available_width, size)
        return size


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that holds every page back until ``save``, when the page count is known.

    "Page X of Y" needs Y on page 1. Instead of laying the document out twice (once to
    count), each finished page's state is kept in ``showPage``; ``save`` then draws the
    header and footer on each one, with the total, and only then writes the pages.
    """

    def __init__(
        self, *args: Any, decorate: Callable[[Any, int, int], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(self, self.getPageNumber(), total)
            super().showPage()
        super().save()
