"""analysis.release and `python -m analysis diff`: row-level changes between two versions of the data package."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, read_rows, set_cell, write_rows

from analysis.__main__ import main
from analysis.release import SnapshotError, diff_packages, diff_resource, snapshot


def _copy(mini: Path, to: Path) -> Path:
    shutil.copytree(mini, to)
    return to


def test_added_removed_and_changed_rows_are_found_by_primary_key(mini: Path, tmp_path: Path) -> None:
    new = _copy(mini, tmp_path / "new")
    rows = read_rows(new / "events.csv")
    header, first, second = rows[0], rows[1], rows[2]
    removed_key = second[header.index("event_id")]
    added = list(first)
    added[header.index("event_id")] = "2020-12-31-added-event"
    write_rows(new / "events.csv", [header, first, *rows[3:], added])  # second row dropped, one appended
    set_cell(new, "events.csv", 1, "title", "A retitled event")
    set_cell(new, "events.csv", 1, "locator", "Lead ¶9")
    diffs = {d.name: d for d in diff_packages(snapshot(str(mini), ROOT), snapshot(str(new), ROOT))}
    events = diffs["events"]
    assert events.added == ["2020-12-31-added-event"] and events.removed == [removed_key]
    assert events.changed == {first[header.index("event_id")]: ["title", "locator"]}
    assert all(d.unchanged for n, d in diffs.items() if n != "events")


def test_reordered_rows_and_requoted_cells_are_no_change() -> None:
    old = "id,name\n1,Baku\n2,Tabriz\n"
    new = 'id,name\n2,"Tabriz"\n1,Baku\n'
    assert diff_resource("t", "t.csv", old, new, ["id"]).unchanged


def test_columns_and_keyless_resources() -> None:
    d = diff_resource("t", "t.csv", "a,b\n1,x\n", "a,c\n1,y\n2,z\n", [])
    assert d.columns_added == ["c"] and d.columns_removed == ["b"]
    assert d.added == ["1,y", "2,z"] and d.removed == ["1,x"]  # without a key, whole rows are compared


def test_a_git_revision_is_read_from_the_repository_as_committed() -> None:
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    head = snapshot("HEAD", ROOT)
    assert set(head.texts) >= {"events", "sources"}
    assert head.texts["sources"].splitlines()[0].startswith("source_id,")


def test_the_command_prints_a_summary_and_refuses_what_it_cannot_read(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _copy(mini, tmp_path / "new")
    set_cell(new, "places.csv", 1, "name", "Bakı")
    assert main(["diff", str(mini), str(new), "--summary"]) == 0
    out = capsys.readouterr().out
    assert "places.csv" in out and "1 changed" in out and "~ " not in out
    assert main(["diff", str(mini), str(new)]) == 0
    assert "fields changed: name (1)" in capsys.readouterr().out
    assert main(["diff", str(tmp_path / "no-such-folder-or-revision"), str(new)]) == 2
    assert "neither a data folder nor a git revision" in capsys.readouterr().err
    (new / "datapackage.json").write_text("{", encoding="utf-8")
    assert main(["diff", str(mini), str(new)]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_a_resource_path_outside_the_folder_is_refused(mini: Path) -> None:
    text = (
        (mini / "datapackage.json")
        .read_text(encoding="utf-8")
        .replace('"path": "sources.csv"', '"path": "../../etc/passwd"')
    )
    (mini / "datapackage.json").write_text(text, encoding="utf-8")
    with pytest.raises(SnapshotError, match="leaves the data folder"):
        snapshot(str(mini), ROOT)


def test_the_books_version_follows_the_datas() -> None:
    import json
    import tomllib

    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == package["version"]
    assert package["created"][:10] in (ROOT / "data" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {package['version']} ({package['created'][:10]})" in (ROOT / "data" / "CHANGELOG.md").read_text(
        encoding="utf-8"
    )
