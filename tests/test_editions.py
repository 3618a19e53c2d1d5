"""The take-away editions (book/_ext/editions.py): the print PDF read back with poppler, the offline zip
opened from disk in Chromium, the data package zip; and every page links to all three."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT, disk_tab, found

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import editions
from editions import DATA_NAME, NOT_PRINTED, OFFLINE_NAME, PDF_NAME, PRINTED_FROM, toc_pages

HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "pdf" / PDF_NAME
OFFLINE = ROOT / "_build" / "offline" / OFFLINE_NAME
DATA_ZIP = ROOT / "_build" / "offline" / DATA_NAME
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
#: Text that only code shows: a line of the chapters' Python, or the code toggles.
CODE = re.compile(
    r"(?m)^\s*(?:import \w|from \w[\w.]* import )|load_tables\(|report\.\w+\(|\bdef \w+\(|Show code cell|"
    r"@incollection\{|@book\{|tables\[\"|=\s*charts\."
)


def _text(fragment: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _figures(page: Path) -> list[tuple[str, str]]:
    """Each figure on a built page: (its chart title, or '' for an image, its caption's first words)."""
    text = page.read_text(encoding="utf-8")
    out = []
    for figure in re.findall(r'<figure class="k20-figure".*?</figure>', text, flags=re.DOTALL):
        data = re.search(r'<script type="application/json" class="k20-figure-data">(.*?)</script>', figure, re.DOTALL)
        layout = json.loads(data.group(1))["figure"]["layout"] if data else {}
        plot_title = str((layout.get("title") or {}).get("text") or "")
        caption = re.search(r'<p class="k20-caption">(.*?)</p>', figure, flags=re.DOTALL)
        out.append((plot_title, _text(caption.group(1)) if caption else ""))
    return out


@pytest.fixture(scope="module")
def pdf_text() -> str:
    if not (POPPLER and PDF.exists()):
        pytest.skip("no print edition or no poppler-utils: run `make pdf` (.ci/run installs poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_has_pages_numbers_and_a_table_of_contents(pdf_text: str) -> None:
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True).stdout
    pages = int(found(r"^Pages:\s+(\d+)", info, flags=re.MULTILINE))
    assert 30 <= pages <= 400 and "A4" in info
    assert PDF.stat().st_size < 30_000_000
    sheets = pdf_text.split("\f")
    assert all(f"page {n} of {pages}" in sheets[n - 1] for n in range(1, pages + 1))
    contents = next(s for s in sheets if s.lstrip().startswith("Contents"))
    listed = re.findall(r"^(\S.*?)\s{2,}(\d+)\s*$", contents, flags=re.MULTILINE)
    printed = [p for p in toc_pages() if p not in NOT_PRINTED]
    assert len(listed) == len(printed)
    for title, number in listed:  # each chapter begins on the page the contents give
        first_line = next(ln.strip() for ln in sheets[int(number) - 1].splitlines() if ln.strip())
        assert " ".join(first_line.split()) == title


def test_pdf_holds_every_chapter_and_every_figure_title_and_no_code(pdf_text: str) -> None:
    flat = _squash(pdf_text)
    for doc in [p for p in toc_pages() if p not in NOT_PRINTED]:
        page = HTML / f"{doc}.html"
        title = _text(found(r"<h1>(.*?)<", page.read_text(encoding="utf-8")))
        assert _squash(title) in flat, title
        for plot_title, caption in _figures(page):
            for line in re.split(r"<br\s*/?>", plot_title):
                assert _squash(_text(line)) in flat, (doc, line)
            assert _squash(caption[:80]) in flat, (doc, caption[:80])
    assert sum(len(_figures(HTML / f"{d}.html")) for d in toc_pages()) >= 15
    changelog = (ROOT / "data" / "CHANGELOG.md").read_text(encoding="utf-8")
    for version in re.findall(r"^#+\s*(\d+\.\d+\.\d+)", changelog, flags=re.M):
        assert version in pdf_text  # the "What changed" page is printed with every release
    code = CODE.findall(pdf_text)
    assert not code, code[:5]


def test_no_figure_is_split_across_pages(pdf_text: str) -> None:
    # A chart's title stands at its top and the caption below it: both on one page, or the figure was split.
    sheets = [_squash(s) for s in pdf_text.split("\f")]
    checked = 0
    for doc in [p for p in toc_pages() if p not in NOT_PRINTED]:
        for plot_title, caption in _figures(HTML / f"{doc}.html"):
            if not plot_title:
                continue
            top = _squash(_text(re.split(r"<br\s*/?>", plot_title)[0]))
            assert any(top in s and _squash(caption[:60]) in s for s in sheets), (doc, plot_title[:60])
            checked += 1
    assert checked >= 10


def test_data_zip_holds_the_package() -> None:
    if not DATA_ZIP.exists():
        pytest.skip("no editions: run `make offline`")
    names = zipfile.ZipFile(DATA_ZIP).namelist()
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    folder = names[0].split("/")[0]
    expected = {f"{folder}/{r['path']}" for r in descriptor["resources"]} | {
        f"{folder}/datapackage.json",
        f"{folder}/LICENSE",
    }
    assert expected <= set(names)
    with zipfile.ZipFile(DATA_ZIP) as z:
        assert z.read(f"{folder}/sources.csv") == (ROOT / "data" / "sources.csv").read_bytes()


def test_every_page_links_to_the_three_editions_and_they_exist() -> None:
    if not (HTML / "editions" / OFFLINE_NAME).exists():
        pytest.skip("no editions: run `make book`")
    for page in [HTML / "index.html", HTML / "book" / "war.html", HTML / "search.html"]:
        text = page.read_text(encoding="utf-8")
        for name in (PDF_NAME, OFFLINE_NAME, DATA_NAME):
            href = re.search(rf'href="([^"]*editions/{re.escape(name)})"', text)
            assert href, (page.name, name)
            assert (page.parent / href.group(1)).resolve().exists(), (page.name, href.group(1))


def test_offline_zip_opens_from_disk_and_draws_charts(tmp_path: Path) -> None:
    if CHROMIUM is None or not OFFLINE.exists():
        pytest.skip("no Chromium or no offline edition: run `make offline`")
    from playwright.sync_api import sync_playwright

    with zipfile.ZipFile(OFFLINE) as z:
        names = z.namelist()
        assert not [n for n in names if n.endswith(OFFLINE_NAME)]
        z.extractall(tmp_path)
    site = tmp_path / names[0].split("/")[0]
    with sync_playwright() as p:
        tab, errors = disk_tab(p)
        tab.goto((site / "index.html").as_uri(), wait_until="load")
        assert tab.url.endswith("/index.html") and "/book/" not in tab.url  # no redirect
        assert tab.inner_text("h1").startswith("Karabakh 2020")
        tab.click("nav a[href='book/human-losses.html']")
        tab.wait_for_load_state("load")
        assert tab.url.startswith("file://") and tab.url.endswith("book/human-losses.html")
        plots = tab.evaluate("() => document.querySelectorAll('.plotly-graph-div').length")
        assert plots >= 1
        tab.wait_for_function(
            "n => [...document.querySelectorAll('.plotly-graph-div')]"
            ".filter(d => d.querySelector('svg.main-svg .trace')).length >= n",
            arg=plots,
            timeout=20_000,
        )
        tab.goto((site / "book" / "explorer.html").as_uri(), wait_until="load")
        tab.fill("#k20-explorer-q", "lisani")
        tab.wait_for_function("() => /match/.test(document.getElementById('k20-explorer-status').textContent)")
        tab.context.browser.close()
    assert not errors, errors


def test_every_edition_link_points_to_an_edition_made_from_this_book() -> None:
    """No page links to a missing edition, or to one older than the page or made from other pages."""
    if not (HTML / "editions" / OFFLINE_NAME).exists():
        pytest.skip("no editions: run `make book`")
    pages = [p for p in HTML.rglob("*.html") if not p.relative_to(HTML).as_posix().startswith("editions/")]
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for name in (PDF_NAME, OFFLINE_NAME, DATA_NAME):
            href = re.search(rf'href="([^"]*editions/{re.escape(name)})"', text)
            assert href, (page.name, name)
            target = (page.parent / href.group(1)).resolve()
            assert target.is_file(), (page.name, href.group(1))
            assert target.stat().st_mtime >= page.stat().st_mtime, f"{target.name} is older than {page.name}"
    # what each edition holds is this build's: the site file for file, the data, the pages printed
    with zipfile.ZipFile(HTML / "editions" / OFFLINE_NAME) as z:
        zipped = {n.split("/", 1)[1]: n for n in z.namelist()}
        site = [p for p in HTML.rglob("*") if p.is_file() and not p.name.startswith(".") and p.name != OFFLINE_NAME]
        assert {p.relative_to(HTML).as_posix() for p in site} == set(zipped)
        for path in site:
            assert z.read(zipped[path.relative_to(HTML).as_posix()]) == path.read_bytes(), path
    assert (HTML / "editions" / DATA_NAME).read_bytes() == DATA_ZIP.read_bytes()
    assert (HTML / "editions" / PDF_NAME).read_bytes() == PDF.read_bytes()
    assert editions.print_key() == (PDF.parent / PRINTED_FROM).read_text(encoding="utf-8")


def _tiny_site(root: Path) -> Path:
    """A built book of two printed pages and the explorer, enough for make_pdf with Chromium stubbed out."""
    (root / "_toc.yml").write_text("root: book/index\nchapters:\n- file: book/a\n- file: book/explorer\n")
    html_dir = root / "_build" / "html"
    (html_dir / "_static").mkdir(parents=True)
    (html_dir / "book").mkdir()
    (html_dir / "_static" / "k20.css").write_text("p {}")
    (html_dir / "_static" / "plot.js").write_text("// v1")
    for name, title in (("index", "The book"), ("a", "Chapter A"), ("explorer", "Explorer")):
        (html_dir / "book" / f"{name}.html").write_text(f"<h1>{title}</h1>")
    return html_dir


def test_the_print_edition_opens_only_changed_pages_and_reprints_only_a_changed_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[list[str]] = []
    printed: list[str] = []

    async def snapshots(html_dir: Path, wanted: list[str]) -> dict[str, str]:
        opened.append(list(wanted))
        return {name: (html_dir / f"{name}.html").read_text() for name in wanted}

    def print_pdf(document, titles: list[str], pdf: Path) -> int:
        printed.append(document({}))
        pdf.write_text(document({}))
        return 2

    monkeypatch.setattr(editions, "_snapshots", snapshots)
    monkeypatch.setattr(editions, "_print", print_pdf)
    html_dir = _tiny_site(tmp_path)
    copy = html_dir / "editions" / PDF_NAME

    editions.make_pdf(tmp_path)
    assert opened == [["book/index", "book/a"]] and len(printed) == 1  # the explorer is not printed
    assert "Chapter A" in copy.read_text() and editions.print_key(tmp_path) is not None

    shutil.rmtree(html_dir / "editions")  # a fresh HTML build has no editions/
    editions.make_pdf(tmp_path)  # nothing changed: no page opened, nothing printed, the PDF copied in
    assert len(opened) == 1 and len(printed) == 1 and copy.exists()

    (html_dir / "book" / "a.html").write_text("<h1>Chapter A, revised</h1>")
    assert editions.print_key(tmp_path) is None  # a page never snapshotted as it is now
    editions.make_pdf(tmp_path)
    assert opened[-1] == ["book/a"] and len(printed) == 2 and "revised" in copy.read_text()

    (html_dir / "_static" / "plot.js").write_text("// v2")  # the charts may draw otherwise: every page again
    editions.make_pdf(tmp_path)
    assert opened[-1] == ["book/index", "book/a"] and len(printed) == 2  # same snapshots, same document
    assert editions.print_key(tmp_path) == (tmp_path / "_build" / "pdf" / PRINTED_FROM).read_text()
    assert len(list((tmp_path / "_build" / "pdf" / ".snapshots").iterdir())) == 2  # old snapshots dropped


def test_make_puts_the_editions_into_every_html_build_before_calling_it_built() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = makefile.split("\n$(HTML_STAMP):", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip() for line in rule.splitlines()[1:]]
    html_build = next(i for i, s in enumerate(steps) if "book/_ext/build_html.py" in s)
    made = next(i for i, s in enumerate(steps) if "book/_ext/editions.py all" in s)
    stamped = next(i for i, s in enumerate(steps) if s.startswith("touch $(HTML_STAMP)"))
    assert html_build < made < stamped, steps  # a build whose editions failed is not called built
