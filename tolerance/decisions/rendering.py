"""HTML to tagged PDF/A-3b with WeasyPrint: decisions, the seal's own page, and where the layout put the seal.

PDF/A-3b rather than PDF/A-4f: both allow the embedded audit trail, but PDF/A-4 allows no document
information entry but ModDate, while the verifier reads the verification code from /Keywords and
pyHanko's seal always writes /Producer there. PDF/A-3 is built on PDF 1.7, so the seal must keep the
file at 1.7 (see pades.py).
"""

import functools
import threading
from dataclasses import dataclass

import pydyf
from django.template.loader import render_to_string
from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from tolerance.decisions.assets import ASSET_BASE_URL, AssetFetcher, asset_url
from tolerance.decisions.seal import SEAL_SIZE_MM, seal_svg

SEAL_ANCHOR = "seal-anchor"
PDF_VARIANT = "pdf/a-3b"
_PT_PER_CSS_PX = 0.75
_PT_PER_MM = 72 / 25.4


class RenderError(Exception):
    pass


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    data: bytes
    description: str


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    page_count: int
    # Page index and (x1, y1, x2, y2) in PDF points from the page's lower-left corner.
    seal_page: int
    seal_box: tuple[float, float, float, float]


_thread_fonts = threading.local()


def _font_configuration() -> FontConfiguration:
    """One font configuration per thread, kept: building one loads the system's font configuration and
    scans its fonts (a fifth of a decision's render), and every document uses the same @font-face fonts,
    which a kept configuration has already registered. Per thread, because fontconfig's state is not
    shared safely between threads."""
    configuration = getattr(_thread_fonts, "configuration", None)
    if configuration is None:
        configuration = _thread_fonts.configuration = FontConfiguration()
    return configuration


def _html(source: str, fetcher: AssetFetcher) -> HTML:
    return HTML(string=source, base_url=ASSET_BASE_URL, url_fetcher=fetcher)


def render_html_to_pdf(source: str) -> bytes:
    """A plain render with the safe fetcher, for small pieces such as the seal."""
    fetcher = AssetFetcher()
    return _html(source, fetcher).write_pdf(font_config=_font_configuration())


@functools.lru_cache(maxsize=64)
def seal_pdf(institution_name: str) -> bytes:
    """A page exactly the seal's size holding the seal, cached: institutions rarely rename."""
    html = (
        f'<html><head><link rel="stylesheet" href="{asset_url("fonts.css")}">'
        f"<style>@page {{ size: {SEAL_SIZE_MM}mm {SEAL_SIZE_MM}mm; margin: 0 }}"
        "body { margin: 0 } svg { display: block }</style></head>"
        f"<body>{seal_svg(institution_name)}</body></html>"
    )
    return render_html_to_pdf(html)


def _finish(document, pdf) -> None:
    """WeasyPrint 70 lists each PDF/A-3 associated file twice in the catalog's /AF: keep one of each.

    The seal's incremental update rewrites the XMP producer as pyHanko's alone but appends to the
    information dictionary's (so the two would disagree, which PDF/A forbids): leave the producer to the
    sealer and name WeasyPrint as the creator tool, which it writes to both places alike.
    """
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
    pdf.info.pop("Producer", None)


def _seal_position(pages) -> tuple[int, tuple[float, float, float, float]]:
    for index in range(len(pages) - 1, -1, -1):
        anchor = pages[index].anchors.get(SEAL_ANCHOR)
        if anchor is None:
            continue
        page_height = pages[index].height * _PT_PER_CSS_PX
        size = SEAL_SIZE_MM * _PT_PER_MM
        left = anchor[0] * _PT_PER_CSS_PX
        top = page_height - anchor[1] * _PT_PER_CSS_PX
        return index, (round(left, 2), round(top - size, 2), round(left + size, 2), round(top, 2))
    raise RenderError(f"The template has no element with id {SEAL_ANCHOR!r}.")


def render_document(
    source: str, *, embedded: list[EmbeddedFile], fetcher: AssetFetcher | None = None
) -> RenderedDocument:
    fetcher = fetcher or AssetFetcher()
    font_config = _font_configuration()
    # Tagged: headings, paragraphs, tables with header cells and the reading order reach screen readers.
    document = _html(source, fetcher).render(font_config=font_config, pdf_variant=PDF_VARIANT, pdf_tags=True)
    attachments = [
        Attachment(
            string=item.data, name=item.name, description=item.description, relationship="Data", url_fetcher=fetcher
        )
        for item in embedded
    ]
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, attachments=attachments, finisher=_finish)
    seal_page, seal_box = _seal_position(document.pages)
    return RenderedDocument(pdf=pdf, page_count=len(document.pages), seal_page=seal_page, seal_box=seal_box)


def render_template_to_pdf(template_name: str, context: dict, *, embedded: list[EmbeddedFile]) -> RenderedDocument:
    return render_document(render_to_string(template_name, context), embedded=embedded)
