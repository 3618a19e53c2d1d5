"""When each page of the built book shows its first text on a slow phone, and when it has loaded.

    python benchmarks/first_paint.py [BUILD_DIR] [--repeat N] [--budget S] [--page PART]  # default: _build/html

Serves the built book gzip-compressed (as a static host does) from 127.0.0.1 and opens every page
in Debian's Chromium (Playwright) at 390 x 844 with an empty cache, throttled through the DevTools
protocol to a slow phone: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip
(``Network.emulateNetworkConditions``) and a CPU 4 times slower (``Emulation.setCPUThrottlingRate``).
Prints, per page, the first contentful paint (the browser's own ``first-contentful-paint`` entry:
the first text or image drawn), the load event, and the moment the first chart was drawn (if the
page has one), in seconds from navigation; with ``--repeat`` the median of N runs. Exits 1 if a
page's first paint is over the budget (2.5 s).

The machine's other work slows the throttled CPU further: measure on a quiet machine.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "book" / "_ext"))
import editions  # noqa: E402  (the book's own Chromium settings)

BUDGET = 2.5
PHONE: ViewportSize = {"width": 390, "height": 844}
NETWORK = {
    "offline": False,
    "latency": 150,  # ms, round trip
    "downloadThroughput": 1_600_000 / 8,  # bytes per second
    "uploadThroughput": 750_000 / 8,
}
CPU_SLOWDOWN = 4
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map")

# Seconds from navigation: first contentful paint, load event end, and the first chart drawn.
TIMES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const chart = performance.getEntriesByName('k20-first-chart')[0];
  return {fcp: fcp ? fcp.startTime / 1000 : null, load: nav ? nav.loadEventEnd / 1000 : null,
          html: nav ? nav.responseEnd / 1000 : null,
          chart: chart ? chart.startTime / 1000 : null,
          charts: document.querySelectorAll('.k20-plot, .plotly-graph-div').length};
}"""


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it and the file is text."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.is_file() and path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            return _Body(body)
        return super().send_head()


class _Body:
    """A response body held in memory, read by SimpleHTTPRequestHandler.copyfile like a file."""

    def __init__(self, data: bytes) -> None:
        self.data, self.sent = data, False

    def read(self, size: int = -1) -> bytes:
        if self.sent:
            return b""
        self.sent = True
        return self.data

    def close(self) -> None:
        pass


def pages_of(html: Path) -> list[str]:
    """Every reader page of the build (not Sphinx's own genindex/_static), as paths under ``html``."""
    return sorted(
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if not p.relative_to(html).as_posix().startswith(("_", "genindex", "editions"))
    )


def measure(html: Path, repeat: int = 1, only: tuple[str, ...] = ()) -> dict[str, dict[str, float | None]]:
    """Page path -> median seconds to first contentful paint ('fcp'), load ('load') and first chart ('chart')."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    results: dict[str, dict[str, float | None]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or editions.CHROMIUM, args=editions.FLAGS)
        for path in [p for p in pages_of(html) if not only or any(o in p for o in only)]:
            runs = []
            for _ in range(repeat):
                context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.send("Network.emulateNetworkConditions", NETWORK)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
                page.goto(base + path, wait_until="load", timeout=120_000)
                try:  # a chart near the top is drawn after the text: give it time to be measured
                    page.wait_for_function(
                        "() => !document.querySelector('.k20-plot') || performance.getEntriesByName('k20-first-chart')"
                        ".length || document.querySelector('.plotly-graph-div .main-svg')",
                        timeout=30_000,
                    )
                except Exception:  # noqa: BLE001  (a page that never draws is reported with no chart time)
                    pass
                runs.append(page.evaluate(TIMES))
                context.close()
            results[path] = {
                key: (statistics.median(v) if (v := [r[key] for r in runs if r[key] is not None]) else None)
                for key in ("fcp", "load", "chart", "charts", "html")
            }
        browser.close()
    server.shutdown()
    return results


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", nargs="?", default="_build/html", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--budget", type=float, default=BUDGET)
    parser.add_argument("--page", action="append", default=[], help="measure only pages whose path holds this")
    args = parser.parse_args(argv)
    if not (args.build / "index.html").exists():
        print(f"no built book in {args.build}: build it first (make book)", file=sys.stderr)
        return 1
    results = measure(args.build, args.repeat, tuple(args.page))
    print(
        f"{'page':32} {'first paint':>11} {'load':>7} {'1st chart':>9} {'html done':>9}"
        "  (s; 1.6 Mbit/s, 150 ms RTT, CPU x4)"
    )
    slow = []
    for path, r in results.items():
        flag = ""
        if r["fcp"] is None or r["fcp"] > args.budget:
            slow.append(path)
            flag = f"  over {args.budget} s"
        print(
            f"{path:32} {_s(r['fcp']):>11} {_s(r['load']):>7} {_s(r['chart']) if r['charts'] else '':>9} "
            f"{_s(r['html']):>9}{flag}"
        )
    if slow:
        print(f"{len(slow)} page(s) over the first-paint budget of {args.budget} s: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
