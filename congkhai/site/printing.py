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


_DARK_RUN = re.compile(rb"\x00+")  # zxing-cpp's module image: 0 is a dark module, 255 a light one
QUIET = 2  # modules of light margin around the code (the notice's white paper adds to it)


@lru_cache(maxsize=256)  # each address is on one page: only the preview, drawing a page again, finds it
def qr_svg(address: str) -> Markup:
    """Return a QR code of `address` as inline SVG: error correction M, which survives a creased or
    faded notice; the same address gives the same bytes.

    The code is made by zxing-cpp (its writer is zint, in C: mode, version, Reed–Solomon blocks and the
    best of the eight masks as ISO/IEC 18004 prescribes); the SVG is drawn here from its modules, one
    stroked line per run of dark modules, so a page carries a compact path and no XML prologue. A code
    costs ~0.3 ms against ~2 ms with the pure-Python segno it replaced; every document page has one.
    The printed notices are decoded back in tests/test_accessibility.py."""
    import zxingcpp

    code = zxingcpp.create_barcode(address, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[1]
    modules = bytes(memoryview(image))
    path: list[str] = []
    for y in range(image.shape[0]):
        row = modules[y * size:(y + 1) * size]
        x = None  # where the last run ended, within this row
        for run in _DARK_RUN.finditer(row):
            start, length = run.start(), run.end() - run.start()
            if x is None:
                path.append(f"M{start + QUIET} {y + QUIET}.5h{length}")
            else:
                path.append(f"m{start - x} 0h{length}")
            x = run.end()
    box = size + 2 * QUIET
    return Markup(f'<svg role="img" aria-label="Mã QR mở trang này trên điện thoại" viewBox="0 0 {box} {box}" '
                  f'class="ck-qr"><path stroke="#000" d="{"".join(path)}"/></svg>')


def printed_address(site_url: str | None, here: str) -> PrintedAddress | None:
    """Return the page's printed address, or None when the portal has no public address (site_url)."""
    if not site_url:
        return None
    address = urls.absolute(site_url, here)
    return PrintedAddress(address)
