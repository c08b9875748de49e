"""The printed notice: what a page adds for paper (shown only when printed, see congkhai.css
`@media print`): the page's public address as text and as a QR code a phone can open."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from . import urls


@dataclass(frozen=True)
class PrintedAddress:
    """Where the printed page lives online: its full address and that address as a QR code (SVG)."""

    url: str
    qr: Markup


@lru_cache(maxsize=4096)
def qr_svg(address: str) -> Markup:
    """Return a QR code of `address` as inline SVG (segno; error correction M, which survives a
    creased or faded notice; the same address gives the same bytes)."""
    import segno

    code = segno.make_qr(address, error="m", boost_error=False)
    svg = code.svg_inline(border=2, omitsize=True, svgclass="ck-qr", lineclass=None)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="Mã QR mở trang này trên điện thoại" ', 1))


def printed_address(site_url: str | None, here: str) -> PrintedAddress | None:
    """Return the page's printed address, or None when the portal has no public address (site_url)."""
    if not site_url:
        return None
    address = urls.absolute(site_url, here)
    return PrintedAddress(address, qr_svg(address))
