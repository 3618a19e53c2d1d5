"""The HTML build (book/_ext/build_html.py): every build is fresh, so nothing the sources no longer produce survives."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, copy_repository, load_module


def _load(root: Path):
    return load_module("build_html_copy", root / "book" / "_ext" / "build_html.py")


def _files(html: Path) -> set[str]:
    return {p.relative_to(html).as_posix() for p in html.rglob("*") if p.is_file()}


def test_a_rebuild_leaves_nothing_the_sources_no_longer_produce(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    build = _load(repo).build
    html = repo / "_build" / "html"
    assert build(repo) == 0
    produced = _files(html)
    assert "book/sources.html" in produced and any(f.startswith("_downloads/") for f in produced)
    # What an earlier book had: a download, a chapter page and its source, since dropped.
    for orphan in ("_downloads/0123abcd/old_table.csv", "book/old-chapter.html", "_sources/book/old-chapter.ipynb"):
        (html / orphan).parent.mkdir(parents=True, exist_ok=True)
        (html / orphan).write_text("left over", encoding="utf-8")
    assert build(repo) == 0
    assert _files(html) == produced
    assert not (repo / "_build" / ".staging").exists()


def test_a_failed_build_keeps_the_previous_book(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    html = repo / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("the previous book", encoding="utf-8")
    (repo / "_toc.yml").write_text("root: book/no-such-page\n", encoding="utf-8")
    assert _load(repo).build(repo) != 0
    assert (html / "index.html").read_text(encoding="utf-8") == "the previous book"


def test_the_build_script_is_the_one_make_runs() -> None:
    assert "book/_ext/build_html.py" in (ROOT / "Makefile").read_text(encoding="utf-8")
