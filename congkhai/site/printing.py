"""The printed notice: what a page adds for paper (shown only when printed, see congkhai.css
`@media print`): the page's public address as text and as a QR code a phone can open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape

from markupsafe import Markup, escape

from . import urls


@dataclass(frozen=True)
class PrintedAddress:
    """Where the printed page lives online: its full address and that address as a QR code (SVG)."""

    url: str

    @property
    def qr(self) -> Markup:
        return qr_svg(self.url)

    @property
    def qr_slot(self) -> Markup:
        """The QR code's place in a planned page, filled in (fill_qr_codes) only when the page is rendered:
        a page taken from the cache, or planned only to see that it did not change, never draws one."""
        return Markup(f'<ck-qr data-address="{escape(self.url)}"></ck-qr>')


_SLOT = re.compile(r'<ck-qr data-address="([^"<>]*)"></ck-qr>')


def fill_qr_codes(html: str) -> str:
    """Return `html` with every QR slot (PrintedAddress.qr_slot) replaced by its QR code."""
    if "<ck-qr " not in html:
        return html
    return _SLOT.sub(lambda m: qr_svg(unescape(m.group(1))), html)


@lru_cache(maxsize=256)  # each address is on one page: only the preview, drawing a page again, finds it
def qr_svg(address: str) -> Markup:
    """Return a QR code of `address` as inline SVG (segno; error correction M, which survives a
    creased or faded notice; the same address gives the same bytes).

    The mask pattern is fixed (0) rather than chosen by trying all eight: a reader takes the mask from
    the code's format information and decodes any of them (ISO/IEC 18004 §7.8; the printed notices are
    decoded back in tests/test_accessibility.py), and trying them was three quarters of the cost of a
    code (5 ms → 1.3 ms), which every document page pays."""
    import segno

    code = segno.make_qr(address, error="m", boost_error=False, mask=0)
    svg = code.svg_inline(border=2, omitsize=True, svgclass="ck-qr", lineclass=None)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="Mã QR mở trang này trên điện thoại" ', 1))


def printed_address(site_url: str | None, here: str) -> PrintedAddress | None:
    """Return the page's printed address, or None when the portal has no public address (site_url)."""
    if not site_url:
        return None
    address = urls.absolute(site_url, here)
    return PrintedAddress(address)
