"""The built book in a real browser: Debian's Chromium driven by Playwright, pages served on 127.0.0.1.

For every page: no console error, every plotly figure drawn with its text inside its edges, no
request leaving the book, every internal link and anchor resolving, alt text on every image, a
glyph for every icon. And the built-in search finds a known name. Skipped, loudly, only when no Chromium is installed.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass, field

import pytest
from conftest import CHROMIUM, HTML

if CHROMIUM is None:
    warnings.warn(
        "NO CHROMIUM: the browser tests are SKIPPED (apt-get install chromium; .ci/run does this)", stacklevel=1
    )
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="!!! no Chromium on this machine: browser tests skipped !!!"),
    pytest.mark.skipif(not (HTML / "index.html").exists(), reason="book not built: run `make book`"),
]
PAGES = sorted(
    p.relative_to(HTML).as_posix()
    for p in HTML.rglob("*.html")
    if not p.relative_to(HTML).as_posix().startswith(("_", "genindex"))
)


# What a reader would see wrong with the charts of a page at the current width: the page scrolling
# sideways; a chart wider than its column; its title, axis titles, legend or notes past the chart's
# edges (plotly does not wrap text, so a long line is cut off); text under 10 px; a chart drawn at
# another height than the space reserved for it (the page would move when it draws); a static
# drawing shown so small that its smallest text is under 10 px.
CHART_PROBLEMS = """() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  for (const div of document.querySelectorAll('.plotly-graph-div')) {
    const box = div.querySelector('.svg-container').getBoundingClientRect();
    const column = div.closest('.k20-plot').getBoundingClientRect();
    if (box.width > column.width + 1) out.push(`${div.id}: ${box.width} px wide in a ${column.width} px column`);
    for (const t of div.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, .legend text, .annotation-text')) {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 2 || r.right > box.right + 2 || r.top < box.top - 2))
        out.push(`${div.id}: '${t.textContent.slice(0, 40)}' runs off the chart`);
    }
    for (const t of div.querySelectorAll('.main-svg text')) {
      const size = parseFloat(getComputedStyle(t).fontSize);
      if (t.getBoundingClientRect().width && size < 10)
        out.push(`${div.id}: '${t.textContent.slice(0, 30)}' at ${size} px`);
    }
    const reserved = div.getBoundingClientRect().height, drawn = div._fullLayout.height;
    if (Math.abs(reserved - drawn) > 1) out.push(`${div.id}: drawn ${drawn} px high in ${reserved} px reserved`);
  }
  for (const img of document.querySelectorAll('.k20-figure img[data-text-px]')) {
    const shown = img.getBoundingClientRect().width / img.naturalWidth * parseFloat(img.dataset.textPx);
    if (shown < 10) out.push(`${img.closest('figure').id}: image text shown at ${shown.toFixed(1)} px`);
  }
  return out;
}"""
# Every chart of the page drawn (the loader draws them after the text), in the layout for this width.
DRAW_ALL = "() => window.k20Plots ? window.k20Plots.drawAll() : 0"
IN_LAYOUT = """phone => [...document.querySelectorAll('.plotly-graph-div')]
  .every(d => d.classList.contains('k20-drawn') && d.classList.contains('k20-phone') === phone)"""


@dataclass
class Visit:
    """What one page did when opened: console errors, requests, and what its DOM holds."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    plots: int = 0
    drawn: int = 0
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    images_without_alt: list[str] = field(default_factory=list)
    icons_without_glyph: list[str] = field(default_factory=list)
    text_off_chart: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def visits(browser, base) -> dict[str, Visit]:
    """Open every page once and record everything the tests below look at."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    out = {}
    for path in PAGES:
        visit = Visit()
        page = browser.new_page()
        page.on("console", lambda m, v=visit: v.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e, v=visit: v.errors.append(f"uncaught: {e}"))
        page.on("request", lambda r, v=visit: v.requests.append(r.url))
        page.goto(base + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        visit.plots = page.evaluate("() => document.querySelectorAll('.plotly-graph-div').length")
        drawn = (
            "() => [...document.querySelectorAll('.plotly-graph-div')]"
            ".filter(d => d.querySelector('svg.main-svg')).length"
        )
        if visit.plots:
            try:
                page.evaluate(DRAW_ALL)
                page.wait_for_function(IN_LAYOUT, arg=False, timeout=10_000)
            except (PlaywrightTimeout, PlaywrightError):
                pass  # the test below reports how many were not drawn
        visit.drawn = page.evaluate(drawn)
        visit.links = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        visit.ids = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        visit.ids |= set(page.eval_on_selector_all("a[name]", "els => els.map(e => e.name)"))
        visit.images_without_alt = page.eval_on_selector_all(
            "img", "els => els.filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src.slice(0, 80))"
        )
        visit.text_off_chart = page.evaluate(CHART_PROBLEMS)
        if page.evaluate(
            "() => !!document.querySelector('.k20-figure')"
        ):  # and on a phone, where charts take their phone layout
            page.set_viewport_size({"width": 390, "height": 844})
            if visit.plots:
                try:
                    page.wait_for_function(IN_LAYOUT, arg=True, timeout=10_000)
                except PlaywrightTimeout:
                    visit.text_off_chart.append("the charts were not redrawn in their phone layout")
            page.wait_for_timeout(300)  # plotly's responsive resize
            visit.text_off_chart += [f"{t} (at 390 x 844)" for t in page.evaluate(CHART_PROBLEMS)]
        visit.icons_without_glyph = page.eval_on_selector_all(
            "i.fa-solid, i.fas",
            "els => els.filter(i => ['none', 'normal', ''].includes("
            "getComputedStyle(i, '::before').content)).map(i => i.className)",
        )
        page.close()
        out[path] = visit
    return out


def test_pages_were_found() -> None:
    assert "book/index.html" in PAGES and "book/sources.html" in PAGES and "search.html" in PAGES


def test_no_console_errors(visits) -> None:
    bad = {p: v.errors for p, v in visits.items() if v.errors}
    assert not bad, bad


def test_every_plotly_figure_is_drawn(visits) -> None:
    assert sum(v.plots for v in visits.values()) >= 5, "the book should hold plotly figures"
    bad = {p: f"{v.drawn} of {v.plots} drawn" for p, v in visits.items() if v.drawn != v.plots}
    assert not bad, bad


def test_no_request_leaves_the_book(visits, base) -> None:
    bad = {p: sorted({u for u in v.requests if not u.startswith((base, "data:", "blob:"))}) for p, v in visits.items()}
    bad = {p: u for p, u in bad.items() if u}
    assert not bad, f"third-party requests: {bad}"


def test_every_internal_link_and_anchor_resolves(visits, base) -> None:
    broken = []
    for path, visit in visits.items():
        for link in visit.links:
            if not link.startswith(base):
                continue  # links out (to a source's original address) are shown, never loaded
            target, _, anchor = link[len(base) :].partition("#")
            target = urllib.parse.unquote(target.split("?")[0]) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if target in visits:
                if anchor and anchor not in visits[target].ids:
                    broken.append(f"{path}: #{anchor} not in {target}")
            else:
                try:
                    urllib.request.urlopen(base + urllib.parse.quote(target), timeout=10).close()
                except OSError as error:
                    broken.append(f"{path}: {target} ({error})")
    assert not broken, "\n".join(sorted(set(broken)))


def test_every_image_has_alt_text(visits) -> None:
    bad = {p: v.images_without_alt for p, v in visits.items() if v.images_without_alt}
    assert not bad, bad


def test_every_chart_fits_and_is_legible_on_desktop_and_phone(visits) -> None:
    """At 1280 px and at 390 x 844: no sideways scroll, chart within its column, title and labels inside, text
    >= 10 px, drawn in the height reserved for it; static drawings shown with text >= 10 px."""
    bad = {p: v.text_off_chart for p, v in visits.items() if v.text_off_chart}
    assert not bad, f"charts a reader cannot read whole: {bad}"


def test_every_icon_has_a_glyph(visits) -> None:
    bad = {p: sorted(set(v.icons_without_glyph)) for p, v in visits.items() if v.icons_without_glyph}
    assert not bad, f"icons missing from book/_static/k20-icons.css: {bad}"


@pytest.mark.parametrize(
    "term, page",
    [("Hashimov", "book/protests.html"), ("Oryx", "book/equipment-losses.html")]
    + [("Shushi", "book/sources.html"), ("Karvachar", "book/sources.html"), ("Khankendi", "book/war.html")],
)
def test_search_finds_a_known_name(browser, base, term: str, page: str) -> None:
    tab = browser.new_page()
    tab.goto(f"{base}search.html?q={term}", wait_until="networkidle")
    tab.wait_for_selector("#search-results ul.search li", timeout=15_000)
    hits = tab.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    tab.close()
    assert any(page in h for h in hits), f"search for {term!r} did not list {page}: {hits}"


# Per map: its plot box, how many filled outlines (countries, lakes) it drew, and its widest text past the box.
MAP_STATE = """id => {
  const div = document.getElementById(id);
  const box = div.querySelector('.svg-container').getBoundingClientRect();
  const column = div.closest('.k20-plot').getBoundingClientRect();
  const fills = [...div.querySelectorAll('.scatterlayer .trace .fills path')]
    .filter(p => (p.getAttribute('d') || '').length > 100).length;
  const labels = [...div.querySelectorAll('.annotation-text')].filter(t => t.getBoundingClientRect().width);
  const outside = labels.filter(t => { const r = t.getBoundingClientRect();
    return r.left < box.left - 2 || r.right > box.right + 2; }).map(t => t.textContent);
  const sizes = labels.map(t => parseFloat(getComputedStyle(t).fontSize));
  return {width: box.width, column: column.width, fills, labels: labels.length, outside, smallest: Math.min(...sizes)};
}"""


@pytest.mark.parametrize(
    "page, maps",
    [
        ("book/war.html", ("plot-war-map", "plot-war-map-centre")),
        ("book/iran-rallies.html", ("plot-iran-rallies-map",)),
    ],
)
@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_maps_draw_their_borders_and_fit_the_column(
    browser, base, page: str, maps: tuple[str, ...], width: int, height: int
) -> None:
    """Each map draws its country and lake outlines, fits the column (a phone's too) and keeps labels >= 10 px
    inside."""
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.goto(base + page, wait_until="networkidle")
    states = {}
    for plot in maps:
        tab.wait_for_selector(f"#{plot} svg.main-svg", timeout=10_000)
        states[plot] = tab.evaluate(MAP_STATE, plot)
    tab.close()
    for plot, state in states.items():
        assert state["fills"] >= 1, f"{plot}: no country outlines drawn ({state})"
        assert state["width"] <= state["column"] + 1, f"{plot} at {width} px: wider than its column ({state})"
        assert state["labels"] >= 5 and not state["outside"], f"{plot} at {width} px: labels {state}"
        assert state["smallest"] >= 10, f"{plot} at {width} px: labels under 10 px ({state})"


def _svg_text(svg: bytes) -> str:
    import xml.etree.ElementTree as ET

    texts = [" ".join(t.itertext()) for t in ET.fromstring(svg).iter() if str(t.tag).endswith("}text")]
    return " ".join(" ".join(texts).split())


def test_a_phone_draws_a_chart_when_scrolled_to_and_downloads_its_image_with_the_source_line(browser, base) -> None:
    """At 390 x 844 a chart far down the page is drawn when scrolled to; its SVG and PNG downloads hold the chart
    (desktop layout, fixed width) with its title and source line; a static drawing offers both as files."""
    import json
    import struct

    tab = browser.new_page(viewport={"width": 390, "height": 844}, accept_downloads=True)
    tab.goto(base + "book/networks.html", wait_until="load")
    last = tab.eval_on_selector_all(".k20-plot > .plotly-graph-div", "els => els[els.length - 1].id")
    tab.locator(f"#{last}").scroll_into_view_if_needed()
    tab.wait_for_selector(f"#{last}.k20-drawn.k20-phone svg.main-svg", timeout=15_000)
    spec = json.loads(tab.inner_text(f"#{last} + script.k20-figure-data"))
    source, title = spec["figure"]["layout"]["meta"]["source"], spec["figure"]["layout"]["title"]["text"]
    files = {}
    for fmt in ("svg", "png"):
        with tab.expect_download(timeout=20_000) as download:
            tab.click(f'button.k20-image[data-plot="{last}"][data-format="{fmt}"]')
        files[fmt] = download.value.path().read_bytes()
        assert download.value.suggested_filename == f"{last.removeprefix('plot-')}.{fmt}"
    text = _svg_text(files["svg"])
    assert " ".join(source.split()) in text, text[-300:]
    assert title.split("<br>")[0].split()[0] in text
    assert files["png"][:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", files["png"][16:24])
    assert width == 1600 and height > 2 * spec["height"]  # at twice the export width, with room for the source
    images = tab.eval_on_selector_all(
        "figure.k20-figure:has(img) a.k20-download",
        "els => Promise.all(els.map(a => fetch(a.href).then(r => a.download.endsWith('.svg') ? r.text() : "
        "r.arrayBuffer().then(b => Array.from(new Uint8Array(b.slice(0, 8))).join(','))).then(t => [a.download, t])))",
    )
    permalinks = tab.eval_on_selector_all("a.k20-permalink", "els => els.map(a => a.getAttribute('href'))")
    tab.close()
    images = [(n, d) for n, d in images if not n.endswith(".csv")]  # the figure's "Download data" link is a CSV
    assert len(images) >= 6 and {n.rsplit(".", 1)[1] for n, _ in images} == {"svg", "png"}
    for name, data in images:
        if name.endswith(".svg"):
            assert "Source" in _svg_text(data.encode("utf-8")), name
        else:
            assert data == "137,80,78,71,13,10,26,10", name  # a PNG
    assert f"#figure-{last.removeprefix('plot-')}" in permalinks and len(permalinks) >= 4
