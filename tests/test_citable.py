"""Cite it, find its sources, see what changed: licence and citation files, the footer and "Cite this"
blocks on every page, the generated "What changed" page, sources a reader can open, and the root page.

The version and the date are read from data/datapackage.json, never typed here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import ROOT, found

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import citable
from sphinx.errors import ExtensionError

from analysis.data import load_all, load_tables
from analysis.sources import LIVING_NOTE, cited_sections, finding_aid, locator_url, section_anchor

HTML = ROOT / "_build" / "html"
DESCRIPTOR = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
built = pytest.mark.skipif(not (HTML / "index.html").exists(), reason="book not built: run `make book`")


def _write_descriptor(folder: Path, **fields: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps({"name": "x", **fields}), encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- licence and citation files


def test_licence_file_states_both_licences_and_what_each_covers() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in text and "Permission is hereby granted, free of charge" in text
    assert "Creative Commons Attribution 4.0 International" in text and "CC BY 4.0" in text
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text
    data_part = text.split("1. Data:")[1].split("2. Code:")[0]
    assert "data/" in data_part and "CC BY 4.0" in data_part


def test_citation_cff_carries_the_data_packages_version_and_date() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    rel = citable.release()
    assert cff["cff-version"] == "1.2.0" and cff["title"] == "Karabakh 2020 in Data"
    assert str(cff["version"]) == DESCRIPTOR["version"] == rel.version
    assert str(cff["date-released"]) == rel.date.isoformat()
    assert set(cff["license"]) == {"CC-BY-4.0", "MIT"}


# --------------------------------------------------------------------------- release, citation text, changelog


def test_release_reads_version_and_created_date(tmp_path: Path) -> None:
    rel = citable.release(_write_descriptor(tmp_path, version="2.3.4", created="2027-01-05T10:00:00Z"))
    assert rel == citable.Release("2.3.4", dt.date(2027, 1, 5)) and rel.date_text == "5 January 2027"
    assert citable.release(_write_descriptor(tmp_path, version="2.3.4", date="2027-02-01")).date == dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    "fields, word",
    [
        ({"created": "2027-01-05"}, "version"),
        ({"version": "1.1", "created": "2027-01-05"}, "version"),
        ({"version": "1.1.0"}, "created"),
        ({"version": "1.1.0", "created": "soon"}, "created"),
    ],
)
def test_release_without_version_or_date_stops_the_build(tmp_path: Path, fields: dict, word: str) -> None:
    with pytest.raises(ExtensionError, match=word):
        citable.release(_write_descriptor(tmp_path, **fields))


def test_citation_text_and_bibtex_give_version_and_date() -> None:
    rel = citable.Release("1.2.0", dt.date(2026, 12, 2))
    text, bib = citable.citation(rel)
    assert text == (
        "Karabakh 2020 in Data project (2026). Karabakh 2020 in Data, version 1.2.0, "
        "data of 2 December 2026. CC BY 4.0."
    )
    assert bib.startswith("@book{karabakh2020data-1.2.0,") and "version   = {1.2.0}" in bib
    assert "date      = {2026-12-02}" in bib and bib.count("{") == bib.count("}")
    text, bib = citable.citation(rel, "Losses & gains_50%", "human-losses")
    assert "\u201cLosses & gains_50%\u201d. In Karabakh 2020 in Data, version 1.2.0" in text
    assert bib.startswith("@incollection{karabakh2020data-human-losses-1.2.0,")
    assert r"title     = {Losses \& gains\_50\%}" in bib and "booktitle = {Karabakh 2020 in Data}" in bib


def test_changes_page_needs_the_changelog_and_a_section_for_the_version(tmp_path: Path) -> None:
    rel = citable.Release("1.1.0", dt.date(2026, 12, 2))
    with pytest.raises(ExtensionError, match="CHANGELOG.md is missing"):
        citable.changes_text(rel, tmp_path)
    (tmp_path / "CHANGELOG.md").write_text("# Changes\n\n## 1.0.0\n\nolder\n\n## 1.1.10\n\nother\n", encoding="utf-8")
    with pytest.raises(ExtensionError, match="no section for version 1.1.0"):
        citable.changes_text(rel, tmp_path)
    (tmp_path / "CHANGELOG.md").write_text(
        "# Changes\n\n## 1.1.0 (2026-12-02)\n\n```text\n# not a heading\n```\n\n### Detail\n\n## 1.0.0\n",
        encoding="utf-8",
    )
    body = citable.changes_text(rel, tmp_path)
    assert "version **1.1.0**" in body and "2 December 2026" in body
    assert "# Changes" not in body and "\n## 1.1.0 (2026-12-02)" in body and "\n### Detail" in body
    assert "\n# not a heading" in body  # fenced text is left as it is


def test_changelog_headings_move_under_the_page_title() -> None:
    assert citable._shift_headings("# 1.1.0\n\ntext\n\n# 1.0.0\n") == "## 1.1.0\n\ntext\n\n## 1.0.0\n"
    assert citable._shift_headings("plain text") == "plain text"


# --------------------------------------------------------------------------- sources a reader can find


def test_every_source_can_be_found() -> None:
    sources = load_tables(["sources"])["sources"]
    for _, row in sources.iterrows():
        aid = finding_aid(row)
        if pd.isna(row["url"]):
            assert aid == row["finding_aid"] and len(aid) > 30, row["source_id"]
            assert not pd.isna(row["title"])
        else:
            assert aid.startswith(str(row["url"]))
    living = sources[sources["kind"].astype(str) == "encyclopedia"]
    assert len(living) == 2 and all(finding_aid(r).endswith(LIVING_NOTE) for _, r in living.iterrows())
    with pytest.raises(ValueError, match="neither a url nor a finding_aid"):
        finding_aid(pd.Series({"source_id": "x", "url": None, "finding_aid": None}))


def test_encyclopedia_locators_link_to_their_section() -> None:
    sources = load_tables(["sources"])["sources"]
    assert section_anchor("Background / First Nagorno-Karabakh War ¶1") == "First_Nagorno-Karabakh_War"
    assert section_anchor("Lead ¶2") == "" and section_anchor(None) == ""
    assert (
        locator_url(sources, "wp-karabakh-war-2020", "Equipment losses ¶1")
        == "https://en.wikipedia.org/wiki/Second_Nagorno-Karabakh_War#Equipment_losses"
    )
    assert (
        locator_url(sources, "wp-protests-2020", "Lead ¶1") == "https://en.wikipedia.org/wiki/2020_Azerbaijani_protests"
    )
    assert locator_url(sources, "hasanbayli-south-az", "Background ¶3") == ""
    odd = sources.copy()
    odd.loc[odd["source_id"] == "wp-protests-2020", "url"] = 'https://x.org/a"><script>'
    assert locator_url(odd, "wp-protests-2020", "Aftermath ¶1") == ""  # no address that is not a plain URL
    sections = cited_sections(load_all())
    assert set(sections["source_id"]) == {"wp-karabakh-war-2020", "wp-protests-2020"}
    assert sections["url"].str.contains("#").sum() >= len(sections) - 2  # all but the two leads


# --------------------------------------------------------------------------- the built book


def _pages() -> list[Path]:
    return sorted(p for p in HTML.rglob("*.html") if not p.relative_to(HTML).as_posix().startswith("_"))


@built
def test_every_page_footer_shows_licence_version_and_data_date() -> None:
    rel = citable.release()
    missing = []
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        footer = re.search(r'<p class="k20-footer">(.*?)</p>', text, flags=re.DOTALL)
        if (
            not footer
            or "CC BY 4.0" not in footer.group(1)
            or "MIT" not in footer.group(1)
            or f">{rel.version}<" not in footer.group(1)
            or rel.date_text not in footer.group(1)
        ):
            missing.append(page.relative_to(HTML).as_posix())
    assert len(_pages()) >= 12 and not missing, missing


@built
def test_the_book_and_every_chapter_end_with_a_citation_in_text_and_bibtex() -> None:
    rel = citable.release()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for doc in [toc["root"]] + [c["file"] for c in toc["chapters"]]:
        text = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        block = re.search(r'<section class="k20-cite".*?</section>', text, flags=re.DOTALL)
        assert block, doc
        block_text = block.group(0)
        assert f"version {rel.version}" in block_text and rel.date_text in block_text, doc
        assert "@book{" in block_text if doc == toc["root"] else "@incollection{" in block_text, doc
        title = re.search(r"<h1>(.*?)<", text, flags=re.DOTALL)
        if doc != toc["root"] and title:
            assert f"\u201c{title.group(1).strip()}\u201d" in block_text.replace("&#x27;", "'"), doc


@built
def test_changes_page_shows_the_changelog() -> None:
    text = (HTML / "book" / "changes.html").read_text(encoding="utf-8")
    changelog = (ROOT / "data" / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^#+\s*(\d+\.\d+\.\d+)", changelog, flags=re.MULTILINE)
    assert DESCRIPTOR["version"] in versions
    assert all(v in text for v in versions)


@built
def test_root_page_is_the_first_page_not_a_redirect() -> None:
    root = (HTML / "index.html").read_text(encoding="utf-8")
    assert "http-equiv" not in root.lower() and "location.replace" not in root
    first = (HTML / "book" / "index.html").read_text(encoding="utf-8")
    assert found(r"<h1>(.*?)<", root) == found(r"<h1>(.*?)<", first)
    targets = [t.split("?")[0].split("#")[0] for t in re.findall(r'\s(?:href|src)="([^"]*)"', root)]
    targets = [t for t in targets if t and ":" not in t]
    assert len(targets) > 20 and not [t for t in targets if t.startswith("../")]
    missing = [t for t in targets if not (HTML / t).exists() and not t.startswith("editions/")]
    assert not missing, missing  # every relative address resolves from the root folder (editions: test_editions.py)


@built
def test_sources_page_tells_how_to_find_each_document_and_links_cited_sections() -> None:
    page = (HTML / "book" / "sources.html").read_text(encoding="utf-8")
    assert "how to find it" in page.lower() and "search for the exact title" in page
    assert 'href="https://en.wikipedia.org/wiki/Second_Nagorno-Karabakh_War#Equipment_losses"' in page
    assert 'href="https://en.wikipedia.org/wiki/2020_Azerbaijani_protests#' in page
    assert "may have changed since the copy" in page
