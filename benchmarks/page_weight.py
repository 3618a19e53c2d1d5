"""Bytes each page of the built book loads in a real browser, by kind; the heaviest page against the budget.

    python benchmarks/page_weight.py [BUILD_DIR]      # default: _build/html

Opens every page in Debian's Chromium (Playwright), served from 127.0.0.1, and adds up the
sizes of every response it loads (Content-Length, uncompressed, as served), grouped as HTML, scripts, styles,
fonts, images, data (search index) and other. Requests to anywhere but the book are listed too.
Exits 1 if the heaviest page is over the budget (3.0 MB = 3,000,000 bytes) or a page asks the
outside world for anything.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import Request, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "book" / "_ext"))
import editions  # noqa: E402  (the book's own Chromium settings)

BUDGET = 3_000_000
KINDS = {"document": "html", "script": "scripts", "stylesheet": "styles", "font": "fonts", "image": "images"}
FLAGS = editions.FLAGS  # Chromium as the print edition runs it: offline, no background traffic


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _failed(sizes: dict[str, int], base: str, request: Request) -> None:
    if not request.url.startswith(base):
        sizes["outside"] += 1


def measure(html: Path) -> dict[str, dict[str, int]]:
    """Page path -> bytes loaded per kind (plus 'outside': number of requests leaving the book)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    pages = sorted(
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if not p.relative_to(html).as_posix().startswith("_")
    )
    results: dict[str, dict[str, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        for path in pages:
            sizes: dict[str, int] = defaultdict(int)
            page = browser.new_page()

            def finished(request, sizes=sizes) -> None:
                if not request.url.startswith(base):
                    sizes["outside"] += 1 if not request.url.startswith("data:") else 0
                    return
                response = request.response()
                kind = KINDS.get(request.resource_type, "data" if request.url.endswith(".js") else "other")
                if request.resource_type == "fetch" or request.url.split("?")[0].endswith("searchindex.js"):
                    kind = "data"
                sizes[kind] += int(response.headers.get("content-length", 0)) if response else 0

            page.on("requestfinished", finished)
            page.on("requestfailed", functools.partial(_failed, sizes, base))
            page.goto(base + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            page.close()
            results[path] = dict(sizes)
        browser.close()
    server.shutdown()
    return results


def main(argv: list[str]) -> int:
    html = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "_build" / "html"
    if not (html / "index.html").exists():
        raise SystemExit(f"no built book in {html}: run `make book` first")
    results = measure(html)
    columns = ["html", "scripts", "styles", "fonts", "images", "data", "other"]
    print(f"{'page':34} " + " ".join(f"{c:>10}" for c in columns) + f" {'total':>11} {'outside':>8}")
    for path, sizes in results.items():
        total = sum(v for k, v in sizes.items() if k != "outside")
        print(
            f"{path:34} " + " ".join(f"{sizes.get(c, 0):>10,}" for c in columns) + f" {total:>11,} "
            f"{sizes.get('outside', 0):>8}"
        )
    totals = {p: sum(v for k, v in s.items() if k != "outside") for p, s in results.items()}
    heaviest = max(totals, key=totals.__getitem__)
    outside = sum(s.get("outside", 0) for s in results.values())
    ok = totals[heaviest] <= BUDGET and outside == 0
    print(
        f"\nheaviest page: {heaviest} loads {totals[heaviest]:,} bytes ({totals[heaviest] / 1e6:.2f} MB); "
        f"budget {BUDGET / 1e6:.1f} MB: {'within' if totals[heaviest] <= BUDGET else 'OVER'}"
    )
    print(f"lightest page: {min(totals, key=totals.__getitem__)} loads {min(totals.values()):,} bytes")
    print(f"requests leaving the book: {outside}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
