#!/usr/bin/env python3
"""Screenshots of built pages in headless Chromium at phone and desktop widths, for review.

    python scripts/screenshots.py site/ OUTDIR "" thcs-hoa-sen/ thcs-hoa-sen/ke-hoach/

Serves SITE over HTTP on a free loopback port, opens each path, writes OUTDIR/<name>-<width>.png.
Uses Debian's Chromium (/usr/bin/chromium), never a downloaded browser.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a quiet HTTP server for `root` on a free port; return it and its base URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(argv: list[str]) -> int:
    site, out, *paths = argv
    Path(out).mkdir(parents=True, exist_ok=True)
    server, base = serve(Path(site))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for width_name, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for path in paths:
                    page.goto(base + path)
                    name = (path.strip("/").replace("/", "_") or "home")
                    page.screenshot(path=f"{out}/{name}-{width_name}.png", full_page=True)
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
