"""The book's take-away editions, made from the built HTML book (``_build/html``).

    python book/_ext/editions.py pdf       # the print edition: _build/pdf/karabakh-2020-in-data.pdf
    python book/_ext/editions.py offline   # the offline edition and the data package, zipped, in _build/offline/
    python book/_ext/editions.py all       # both (what `make book` runs after the HTML build)

Each edition is also copied into ``_build/html/editions/``, where every page's footer links to it.

**Print edition.** Debian's Chromium (``/usr/bin/chromium``, driven by Playwright; no LaTeX) opens
every page of the book in table-of-contents order from a local server, waits until plotly has drawn
each chart, and turns each chart into a static SVG (``Plotly.toImage``) set in place of the live
one. The article of each page, without its code, buttons and the interactive explorer, goes into one
print document: a title page with the citation, a table of contents, then each chapter from a new
page. Chromium prints it to PDF with page numbers in the footer; figures, images and table rows are
never split across pages. The table of contents is printed twice: the first time to learn, with
``pdftotext`` (poppler-utils), on which page each chapter begins, the second with those numbers.

**Offline edition.** The built site as a zip that works opened from disk (``file://``): every page,
chart (plotly.js is served from ``_static``) and image is in it, and the root ``index.html`` is the
book's first page itself, not a redirect (book/_ext/lean_pages.py). It includes the print edition
when that was made first. **Data package.** ``datapackage.json``, the CSVs, the data's README and
changelog, and the licence, zipped. Both zips are deterministic: fixed file dates, sorted names.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import html
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
#: The book's name as _config.yml writes it (as citable.py reads it for the HTML pages).
BOOK = str(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"])
NAME = "karabakh-2020-in-data"
PDF_NAME = f"{NAME}.pdf"
OFFLINE_NAME = f"{NAME}-offline.zip"
DATA_NAME = f"{NAME}-data.zip"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Pages left out of the print edition: the explorer is an interactive view of data printed elsewhere.
NOT_PRINTED = ("book/explorer",)
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
#: Chromium tabs that open the book's pages side by side for the print edition (the build machine has 2 cores).
TABS = 2
VIEWPORT = {"width": 900, "height": 1200}
#: Under _build/pdf: each printed page's snapshot, named by what it was made from (see snapshot_keys).
SNAPSHOTS = ".snapshots"
#: Under _build/pdf: the digest of the print document the PDF was printed from (see print_key).
PRINTED_FROM = ".printed-from"
#: Under _build/pdf: the page on which each chapter began at the last print (see _print).
PAGE_NUMBERS = ".page-numbers.json"
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#444;font-family:sans-serif">'
    f'{html.escape(BOOK)} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)

# In the browser, on a built page: every plotly chart becomes an inline SVG snapshot, then the
# article's printable HTML is returned (code cells, buttons, scripts, the page's own table of contents
# and "Cite this" blocks removed; preformatted text that is not code, like the changelog's
# summaries, stays).
SNAPSHOT = """async () => {
  const divs = [...document.querySelectorAll('.plotly-graph-div')];
  for (const gd of divs) {
    const w = gd._fullLayout.width, h = gd._fullLayout.height;
    const url = await Plotly.toImage(gd, {format: 'svg', width: w, height: h});
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    const holder = document.createElement('div');
    holder.className = 'k20-print-chart';
    holder.innerHTML = svg;
    const el = holder.querySelector('svg');
    el.setAttribute('viewBox', `0 0 ${w} ${h}`);
    el.setAttribute('width', '100%');
    el.removeAttribute('height');
    el.setAttribute('role', 'img');
    const title = gd.layout && gd.layout.title && (gd.layout.title.text || gd.layout.title);
    if (title) el.setAttribute('aria-label', String(title).replace(/<[^>]*>/g, ' '));
    const plot = gd.closest('.k20-plot') || gd;
    plot.replaceWith(holder);
  }
  const article = document.querySelector('article.bd-article') || document.querySelector('main');
  const copy = article.cloneNode(true);
  copy.querySelectorAll('.cell_input, div[class*="highlight-ipython"], div[class*="highlight-python"], '
    + 'script, style, button, .headerlink, .k20-cite, '
    + 'noscript, .toggle-details, .copybtn, .bd-toc, .prev-next-area, [class*="thebe"], .k20-explorer')
    .forEach(e => e.remove());
  copy.querySelectorAll('details.above-input, details.below-input:not(:has(.cell_output))').forEach(d => d.remove());
  copy.querySelectorAll('summary').forEach(s => { if (/code cell/i.test(s.textContent)) s.remove(); });
  copy.querySelectorAll('details').forEach(d => d.setAttribute('open', ''));
  copy.querySelectorAll('[id]').forEach(e => { if (!e.closest('svg')) e.removeAttribute('id'); });
  return copy.innerHTML;
}"""

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4;
       color: #111; }
h1 { font-size: 20pt; margin: 0 0 0.6em 0; } h2 { font-size: 14pt; margin: 1.2em 0 0.4em 0; } h3 { font-size: 11.5pt; }
h1, h2, h3, h4 { break-after: avoid; }
.k20-chapter { break-before: page; }
.k20-title-page { text-align: left; padding-top: 30mm; }
.k20-title-page h1 { font-size: 28pt; }
.k20-toc ol { list-style: none; padding: 0; } .k20-toc li { display: flex; margin: 0.35em 0; }
.k20-toc li span.t { flex: 1; border-bottom: 1px dotted #888; margin-right: 0.5em; }
.k20-toc li span.n { min-width: 2em; text-align: right; }
figure, .k20-figure, .k20-print-chart, img, svg, tr, .cell_output img { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0.8em 0; } img { max-width: 100%; height: auto; max-height: 185mm; object-fit: contain; }
.k20-print-chart svg { height: auto; max-height: 185mm; }
.k20-table-wrap { max-height: none !important; overflow: visible !important; }
table { border-collapse: collapse; font-size: 7.5pt; width: 100%; }
td, th { padding: 1px 4px; vertical-align: top; border-bottom: 1px solid #ddd; text-align: left; }
thead { display: table-header-group; }
a { color: inherit; text-decoration: none; }
.k20-plot > div { min-width: 0 !important; }
"""


@contextmanager
def _served(folder: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def toc_pages(root: Path = ROOT) -> list[str]:
    """The book's pages in reading order (docnames, e.g. 'book/war'), as _toc.yml lists them."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]


def _title(fragment: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", fragment, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def _print_document(chapters: list[tuple[str, str]], numbers: dict[str, int], front: str, css: str) -> str:
    toc = "".join(
        f'<li><span class="t">{html.escape(title)}</span><span class="n">{numbers.get(title, "")}</span></li>'
        for title, _ in chapters
    )
    body = "".join(f'<section class="k20-chapter">{fragment}</section>' for _, fragment in chapters)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(BOOK)}</title>'
        f"<style>{css}</style></head><body>{front}"
        f'<section class="k20-toc k20-chapter"><h2>Contents</h2><ol>{toc}</ol></section>{body}</body></html>'
    )


def _front(html_dir: Path) -> str:
    """The title page: the book's title, its citation, version, date and licence, from the built first page."""
    first = (html_dir / "book" / "index.html").read_text(encoding="utf-8")
    cite = re.search(r'<section class="k20-cite".*?<p>(.*?)</p>', first, flags=re.DOTALL)
    footer = re.search(r'<p class="k20-footer">(.*?)</p>', first, flags=re.DOTALL)
    version = re.sub(r"<[^>]+>", "", footer.group(1)).split("What changed")[0].strip() if footer else ""
    return (
        f'<section class="k20-title-page"><h1>{html.escape(BOOK)}</h1>'
        f"<p>Print edition. {html.escape(html.unescape(version))}</p>"
        f"<p>Cite as: {cite.group(1) if cite else ''}</p>"
        f"<p>The online and offline editions hold the interactive charts, the data explorer and the data package.</p>"
        f"</section>"
    )


def page_starts(pdf: Path, titles: list[str], after: int = 1) -> dict[str, int]:
    """The page (from 1) on which each title first stands as the first line of a page, searching in order."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    found, start = {}, after
    for title in titles:
        for number in range(start, len(pages)):
            lines = [ln.strip() for ln in pages[number].splitlines() if ln.strip()]
            if lines and " ".join(lines[0].split()) == title:
                found[title] = number + 1
                start = number + 1
                break
    return found


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big") + part)
    return h.hexdigest()


def _folder_digest(folder: Path) -> bytes:
    """Every file's name and bytes under ``folder`` (the site's ``_static``: styles, plotly.js)."""
    return b"".join(
        p.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


def snapshot_keys(html_dir: Path, pages: list[str]) -> dict[str, str]:
    """Per page, what its print snapshot is made from: the page, the site's static files and this script."""
    common = _folder_digest(html_dir / "_static") + Path(__file__).read_bytes() + repr(VIEWPORT).encode()
    return {name: _digest(common, (html_dir / f"{name}.html").read_bytes()) for name in pages}


async def _snapshot(tab: Any, url: str) -> str:
    """Open one built page in ``tab``, wait until every chart is drawn, return its printable article."""
    await tab.goto(url, wait_until="load")
    # Every chart is brought into view in turn (a loader may draw a chart only when it comes near), then
    # awaited: as many drawn plotly charts as the page has chart boxes (.k20-plot) or plotly divs.
    plots = await tab.evaluate(
        """async () => {
      const boxes = [...document.querySelectorAll('.k20-plot, .plotly-graph-div')];
      for (const box of boxes) {
        box.scrollIntoView({block: 'center'});
        await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
      }
      return Math.max(document.querySelectorAll('.k20-plot').length,
                      document.querySelectorAll('.plotly-graph-div').length);
    }"""
    )
    if plots:
        await tab.wait_for_function(
            "n => [...document.querySelectorAll('.plotly-graph-div')]"
            ".filter(d => d.querySelector('svg.main-svg')).length >= n",
            arg=plots,
            timeout=30_000,
        )
    return str(await tab.evaluate(SNAPSHOT))


async def _snapshots(html_dir: Path, wanted: list[str]) -> dict[str, str]:
    """Each wanted page's printable article, opened from a local server in TABS Chromium tabs side by side."""
    from playwright.async_api import async_playwright

    out: dict[str, str] = {}
    queue = list(wanted)
    with _served(html_dir) as base:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

            async def worker() -> None:
                tab = await browser.new_page(viewport={"width": VIEWPORT["width"], "height": VIEWPORT["height"]})
                while queue:
                    name = queue.pop(0)
                    out[name] = await _snapshot(tab, f"{base}{name}.html")
                await tab.close()

            await asyncio.gather(*(worker() for _ in range(min(TABS, len(queue)))))
            await browser.close()
    return out


def _print(document: Callable[[dict[str, int]], str], titles: list[str], pdf: Path) -> int:
    """Print ``document(numbers)`` to ``pdf`` until the contents' page numbers agree; return the passes.

    The first pass takes the numbers found at the last print (``.page-numbers.json`` beside the PDF): when
    no chapter moved, one pass is enough."""
    from playwright.sync_api import sync_playwright

    remembered = pdf.with_name(PAGE_NUMBERS)
    try:
        numbers = {t: int(n) for t, n in json.loads(remembered.read_text(encoding="utf-8")).items() if t in titles}
    except (OSError, ValueError, AttributeError):
        numbers = {}
    remembered.unlink(missing_ok=True)
    passes = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        printer = browser.new_page()
        for _ in range(3):  # the numbers found for the printed numbers agree at the latest on the third pass
            source = pdf.with_name("print.html")
            source.write_text(document(numbers), encoding="utf-8")
            printer.goto(source.as_uri(), wait_until="load")
            printer.pdf(
                path=str(pdf),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
            )
            passes += 1
            if shutil.which("pdftotext") is None:
                print("no pdftotext (poppler-utils): the contents are printed without page numbers", file=sys.stderr)
                break
            found = page_starts(pdf, titles)
            if found == numbers:
                remembered.write_text(json.dumps(numbers, ensure_ascii=False, indent=0), encoding="utf-8")
                break
            numbers = found
        browser.close()
    return passes


def _document(root: Path, fragments: dict[str, str]) -> tuple[Callable[[dict[str, int]], str], list[str], str]:
    """The print document for given contents' page numbers, the chapters' titles, and the document's digest."""
    html_dir = root / "_build" / "html"
    pages = [p for p in toc_pages(root) if p not in NOT_PRINTED]
    chapters = [(_title(fragments[name]), fragments[name]) for name in pages]
    css = PRINT_CSS + (html_dir / "_static" / "k20.css").read_text(encoding="utf-8")
    front, base_dir = _front(html_dir), (html_dir / "book").as_uri() + "/"

    def document(numbers: dict[str, int]) -> str:
        text = _print_document(chapters, numbers, front, css)
        return text.replace("<head>", f'<head><base href="{base_dir}">', 1)

    key = _digest(document({}).encode(), FOOTER.encode(), Path(__file__).read_bytes())
    return document, [title for title, _ in chapters], key


def _kept_snapshots(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Each printed page's snapshot key, and the snapshots kept for the pages as they are now."""
    cache = root / "_build" / "pdf" / SNAPSHOTS
    keys = snapshot_keys(root / "_build" / "html", [p for p in toc_pages(root) if p not in NOT_PRINTED])
    kept = {name: (cache / key).read_text(encoding="utf-8") for name, key in keys.items() if (cache / key).exists()}
    return keys, kept


def print_key(root: Path = ROOT) -> str | None:
    """The digest of the print document that the built pages make now, or None if a page was never snapshotted.

    ``_build/pdf/.printed-from`` holds the digest of the document the PDF was printed from: equal, the PDF is
    this book's.
    """
    keys, kept = _kept_snapshots(root)
    return _document(root, kept)[2] if len(kept) == len(keys) else None


def make_pdf(root: Path = ROOT) -> Path:
    """Print the built book to ``_build/pdf/`` and copy it into the site's ``editions/``; return the PDF's path.

    A page whose built HTML (with the site's static files and this script) is the same as at the last
    print is not opened again: its snapshot is kept in ``_build/pdf/.snapshots/``. When the whole print
    document is the same, the last PDF is this book's and is not printed again.
    """
    started = time.perf_counter()
    html_dir, out_dir = root / "_build" / "html", root / "_build" / "pdf"
    pdf, cache, key_file = out_dir / PDF_NAME, out_dir / SNAPSHOTS, out_dir / PRINTED_FROM
    cache.mkdir(parents=True, exist_ok=True)
    keys, fragments = _kept_snapshots(root)
    for old in cache.iterdir():  # snapshots of pages as they no longer are
        if old.name not in keys.values():
            old.unlink()
    wanted = [name for name in keys if name not in fragments]
    if wanted:
        for name, fragment in asyncio.run(_snapshots(html_dir, wanted)).items():
            fragments[name] = fragment
            (cache / keys[name]).write_text(fragment, encoding="utf-8")
    opened = time.perf_counter()
    document, titles, key = _document(root, fragments)
    passes = 0
    if not (pdf.exists() and key_file.exists() and key_file.read_text(encoding="utf-8") == key):
        key_file.unlink(missing_ok=True)  # only a PDF printed from this very document is kept unprinted
        passes = _print(document, titles, pdf)
        key_file.write_text(key, encoding="utf-8")
    editions = html_dir / "editions"
    editions.mkdir(exist_ok=True)
    shutil.copyfile(pdf, editions / PDF_NAME)  # dated now: made from (or found current for) this build
    done = time.perf_counter()
    print(
        f"print edition: {len(keys)} pages, {len(wanted)} opened in Chromium ({opened - started:.1f} s), "
        f"{len(keys) - len(wanted)} unchanged; {passes} print passes ({done - opened:.1f} s)"
    )
    return pdf


def _zip(target: Path, files: list[tuple[Path, str]]) -> Path:
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path, name in sorted(files, key=lambda f: f[1]):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    tmp.replace(target)
    return target


def make_data_zip(root: Path = ROOT, out_dir: Path | None = None) -> Path:
    """Zip the data package (datapackage.json, every CSV, the data's README and changelog, the licence)."""
    data = root / "data"
    out_dir = out_dir or root / "_build" / "offline"
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [
        (p, f"{NAME}-data/{p.name}")
        for p in sorted(data.iterdir())
        if p.suffix in {".csv", ".json", ".md"} and p.is_file()
    ]
    files.append((root / "LICENSE", f"{NAME}-data/LICENSE"))
    return _zip(out_dir / DATA_NAME, files)


def make_offline(root: Path = ROOT) -> tuple[Path, Path]:
    """Zip the built site for reading from disk (with the data package zip inside); return both zips' paths."""
    html_dir, out_dir = root / "_build" / "html", root / "_build" / "offline"
    editions = html_dir / "editions"
    editions.mkdir(parents=True, exist_ok=True)
    data_zip = make_data_zip(root, out_dir)
    shutil.copy2(data_zip, editions / DATA_NAME)
    files = [
        (p, f"{NAME}/{p.relative_to(html_dir).as_posix()}")
        for p in sorted(html_dir.rglob("*"))
        if p.is_file() and not p.name.startswith(".") and p.name != OFFLINE_NAME
    ]
    offline = _zip(out_dir / OFFLINE_NAME, files)
    shutil.copy2(offline, editions / OFFLINE_NAME)
    return offline, data_zip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edition", choices=["pdf", "offline", "all"])
    args = parser.parse_args(argv)
    if not (ROOT / "_build" / "html" / "index.html").exists():
        print("no built book in _build/html: build it first (make book)", file=sys.stderr)
        return 1
    if args.edition in ("pdf", "all"):
        if not Path(CHROMIUM).exists():
            print(
                f"no Chromium at {CHROMIUM}: the print edition is not made (apt-get install chromium)", file=sys.stderr
            )
            if args.edition == "pdf":
                return 1
        else:
            pdf = make_pdf()
            print(f"print edition: {pdf} ({pdf.stat().st_size:,} bytes)")
    if args.edition in ("offline", "all"):
        offline, data_zip = make_offline()
        print(
            f"offline edition: {offline} ({offline.stat().st_size:,} bytes); "
            f"data package: {data_zip} ({data_zip.stat().st_size:,} bytes)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
