"""Children are never named, never tied to a named person, and shown only by age band.

Three promises (data contract, "Children"), each checked on the real data, on the chapters' stored
outputs, and on small hand-made cases that show the check can fail:

1. No child is named anywhere in the project. The names are not typed here: the committed
   fingerprints (``tests/fixtures/source-fingerprints.json``, made by ``tests/make_fingerprints.py``)
   hold salted hashes of the names the documents give to children, and every file is scanned for
   them. When the documents are beside the repository, the fingerprints must be current with them.
2. No row of a named person mentions a child (a daughter or son held with them, a child's age or
   label), no relation ties a named person to a child, and a child's own rows point to no relative.
3. Children's labels carry no age (``Minor, Tikantape (1)``; the age only in ``age``), and the book
   shows no child's exact age and no child beside a named person.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

import make_fingerprints as mf
import pandas as pd
import pytest
import yaml
from conftest import ROOT, fingerprints

from analysis import load_table
from analysis.network import detention_event_table, detention_graph
from analysis.rallies import named_against_stated
from analysis.sentencing import AGE_BANDS, minor_label, minors_summary, person_labels

# --------------------------------------------------------------------------- 1. no child is named


def readable_text(raw: str) -> str:
    """Text as a reader would see it: JSON \\u escapes decoded, images dropped, tags removed (attribute values kept)."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), raw)
    text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s\\n]+", " ", text)
    text = re.sub(r"<[^<>]*>", lambda m: " " + " ".join(re.findall(r'"([^"]*)"', m.group())) + " ", text)
    return html.unescape(text)


def file_text(path: Path) -> str:
    """A file's readable text; for JSON (notebooks too) every string and key in it, one per line."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in {".json", ".ipynb"}:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            return readable_text(raw)
        strings: list[str] = []

        def walk(value: object) -> None:
            if isinstance(value, str):
                strings.append(value)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, dict):
                for key, item in value.items():
                    strings.append(str(key))
                    walk(item)

        walk(data)
        raw = "\n".join(strings)
    return readable_text(raw)


def names_found(text: str, record: dict) -> int:
    """How many of the record's children's names occur in ``text`` (whole tokens, accents and case ignored)."""
    wanted = {c["sha256"] for c in record["children"]}
    tokens = mf.name_tokens(text)
    letters = [t.isalpha() for t in tokens]  # a name is letters only: skip windows with numbers or code
    found = set()
    for size in sorted({c["tokens"] for c in record["children"]}):
        runs = {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1) if all(letters[i : i + size])}
        found |= {h for h in (mf.name_hash(record["salt"], [run]) for run in runs) if h in wanted}
    return len(found)


SCANNED = ("data", "book", "analysis", "tests", "benchmarks", ".ci", "_build/html")
SUFFIXES = {".csv", ".json", ".ipynb", ".md", ".py", ".html", ".txt", ".js", ".yml", ".yaml", ".toml", ".cfg", ".sh"}


def project_files(root: Path = ROOT) -> list[Path]:
    """Every text file of the project (and of the built book, if built) that could carry a name."""
    files = [p for p in root.iterdir() if p.is_file() and p.suffix in SUFFIXES]
    for folder in SCANNED:
        if (root / folder).exists():
            files += [
                p
                for p in (root / folder).rglob("*")
                if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts
            ]
    return sorted(files)


def files_naming_a_child(paths: Iterable[Path], record: dict, root: Path) -> list[str]:
    return [
        f"{p.relative_to(root)} contains the name of {n} child(ren) the source documents name"
        for p in paths
        if (n := names_found(file_text(p), record))
    ]


def test_the_fingerprints_hold_the_children_the_documents_name() -> None:
    # Guards the scan below: with no names to look for, it would pass vacuously.
    record = fingerprints()
    assert len(record["children"]) >= 5
    assert all(re.fullmatch(r"[0-9a-f]{64}", c["sha256"]) and c["tokens"] >= 1 for c in record["children"])


def test_the_fingerprints_cover_the_documents_and_are_current(real: dict[str, pd.DataFrame]) -> None:
    """The committed fingerprints describe the five documents sources.csv cites; with the documents present, exactly."""
    record = fingerprints()
    cited = set(real["sources"]["file"].astype(str))
    assert {d["file"] for d in record["documents"]} == cited
    assert re.fullmatch(r"[0-9a-f]{32}", record["salt"])
    stored = mf.decode_hashes(record["shingles"])
    assert len(stored) == record["shingle_count"] >= max(d["shingles"] for d in record["documents"])
    assert record["shingle_words"] == mf.SHINGLE and record["shingle_bits"] == mf.BITS
    assert max(stored) < 2**mf.BITS
    if any(mf.SEEDS.glob("*.txt")):  # beside the documents: the file must be what the script makes of them now
        fresh = mf.build(mf.SEEDS, record["salt"])
        changed = [d["file"] for d in fresh["documents"] if d not in record["documents"]]
        assert fresh == record, (
            f"tests/fixtures/source-fingerprints.json is out of date with {mf.SEEDS} "
            f"(changed: {changed or 'patterns or hashing'}): run python tests/make_fingerprints.py"
        )
        activist = mf.SEEDS / "001_58d27633ec4c7c3f.txt"
        assert names_found(file_text(activist), record) == len(record["children"])  # the hashes find the names


def test_no_child_is_named_anywhere_in_the_project() -> None:
    found = files_naming_a_child(project_files(), fingerprints(), ROOT)
    assert not found, "\n".join(found)


def test_the_name_scan_sees_through_case_accents_markup_and_escapes(tmp_path: Path) -> None:
    record = {"salt": "00" * 16, "children": [{"tokens": 2, "sha256": mf.name_hash("00" * 16, ["sam", "placeholder"])}]}
    (tmp_path / "data").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "data" / "a.csv").write_text("id,note\nx,Held with SÁM Placeholder\n", encoding="utf-8")
    (tmp_path / "data" / "clean.csv").write_text("id,note\nx,Sam was held; Placeholder too\n", encoding="utf-8")
    cell = {
        "outputs": [
            {"data": {"text/html": ["<td><b>Sam</b> Placeholder</td>"]}},
            {"data": {"text/html": ['{"hovertext":["\\\\u003cb\\\\u003eSam\\\\u003c/b\\\\u003e Placeholder"]}']}},
        ]
    }
    (tmp_path / "book" / "n.ipynb").write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    (tmp_path / "book" / "alt.html").write_text('<img alt="Sam&nbsp;Placeholder" src="x.png">', encoding="utf-8")
    found = files_naming_a_child(project_files(tmp_path), record, tmp_path)
    assert [f.split(" ")[0] for f in found] == ["book/alt.html", "book/n.ipynb", "data/a.csv"]


def test_the_fingerprints_round_trip_and_find_names_by_pattern(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(
        "Police held 15-year-old Sam Placeholder and 40-year-old Old Person, and Jo Example with her "
        "daughter Kim Example, whose cousin was not named.",
        encoding="utf-8",
    )
    record = mf.build(tmp_path, "ab" * 16)
    assert len(record["children"]) == 2  # the 15-year-old and the daughter; not the adult
    assert names_found("we met sam placeholder", record) == 1
    assert names_found("Old Person and Kim of Example", record) == 0  # an adult; a first name alone
    assert record["documents"][0]["shingles"] == len(mf.decode_hashes(record["shingles"]))
    assert mf.decode_hashes(mf.encode_hashes([5, 3, 2**39, 3])) == {3, 5, 2**39}
    assert mf.main(["--seeds", str(tmp_path), "--out", str(tmp_path / "f.json")]) == 0
    assert mf.main(["--seeds", str(tmp_path), "--out", str(tmp_path / "f.json"), "--check"]) == 0
    (tmp_path / "doc.txt").write_text("A changed document.", encoding="utf-8")
    assert mf.main(["--seeds", str(tmp_path), "--out", str(tmp_path / "f.json"), "--check"]) == 1


# --------------------------------------------------------------------------- 2. no child tied to a named person

CHILD_WORDS = re.compile(
    r"\b(?:child|children|daughters?|sons?|kids?|girls?|boys?|teen(?:ager)?s?|bab(?:y|ies)|"
    r"infants?|juveniles?)\b|\bminors?\b(?!\s+(?:bodily|injur\w*|harm|offen\w*|damage))",
    flags=re.IGNORECASE,
)
FAMILY_WORDS = re.compile(
    r"\b(?:mother|father|parents?|daughter|son|sister|brother|aunt|uncle|grand\w+|wife|"
    r"husband|family|relatives?|cousin)\b",
    flags=re.IGNORECASE,
)
AGES = re.compile(
    r"\b(\d{1,2})-year-old\b|\baged (\d{1,2})\b|\bage (\d{1,2})\b|\bMinor, (\d{1,2})\b", flags=re.IGNORECASE
)
OWN_PARENT = re.compile(r"^(?:Son|Daughter) of [^;,.]+")  # an adult's own description may say whose child they are


def child_age(text: str) -> str | None:
    """The first age under 18 the text states ('13-year-old', 'aged 16', 'Minor, 15')."""
    for match in AGES.finditer(text):
        if int(next(g for g in match.groups() if g)) < 18:
            return match.group()
    return None


def _minors(actors: pd.DataFrame) -> pd.DataFrame:
    return actors[actors["is_minor"].astype("boolean").fillna(False).astype(bool)]


def _named_people(actors: pd.DataFrame) -> pd.DataFrame:
    return actors[(actors["kind"].astype(str) == "person") & ~actors["actor_id"].isin(_minors(actors)["actor_id"])]


def _names_pattern(people: pd.DataFrame) -> re.Pattern[str]:
    """Any name or alias of the given people, as a whole word (case as written)."""
    names = set()
    for name, aliases in zip(people["name"], people["aliases"]):
        names |= {
            n.strip()
            for n in [name, *(aliases.split("|") if isinstance(aliases, str) else [])]
            if isinstance(n, str) and len(n.strip()) > 3
        }
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")


def _mentions_child(text: str, minors: pd.DataFrame) -> str | None:
    """What in ``text`` points at a child: a child word, a child's age, a child's id or label."""
    hit = CHILD_WORDS.search(text)
    if hit:
        return hit.group()
    age = child_age(text)
    if age:
        return age
    for key in list(minors["actor_id"].astype(str)) + list(minors["name"].dropna().astype(str)):
        if key in text:
            return key
    return None


def named_rows_mentioning_children(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Rows of named people (their description, detentions, sentences, relations, events naming them) that point at a
    child."""
    actors = tables["actors"]
    minors, people = _minors(actors), _named_people(actors)
    ids = set(people["actor_id"].astype(str))
    found = []

    def check(where: str, text: object) -> None:
        if isinstance(text, str) and (what := _mentions_child(text, minors)):
            found.append(f"{where}: mentions {what!r}")

    for person in people.itertuples():
        check(f"actors.csv {person.actor_id} description", OWN_PARENT.sub("", str(person.description)))
    for file, columns in (("detentions", ("note",)), ("sentences", ("note", "charges"))):
        frame = tables.get(file)
        if frame is None:
            continue
        for row in frame[frame["actor_id"].astype(str).isin(ids)].itertuples():
            for column in columns:
                check(f"{file}.csv {row[1]} ({row.actor_id}) {column}", getattr(row, column, None))
    relations = tables.get("relations")
    if relations is not None:
        mine = relations["source_actor_id"].astype(str).isin(ids) | relations["target_actor_id"].astype(str).isin(ids)
        for row in relations[mine].itertuples():
            check(f"relations.csv {row.relation_id} note", row.note)
    events = tables.get("events")
    if events is not None:
        pattern = _names_pattern(people)
        for row in events.itertuples():
            text = f"{row.title} {row.description if isinstance(row.description, str) else ''}"
            if pattern.search(text):
                check(f"events.csv {row.event_id} (names a person)", text)
    return found


def relations_tying_children(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Relation rows between a child and a named person (family or any other tie)."""
    actors = tables["actors"]
    minors, people = set(_minors(actors)["actor_id"].astype(str)), set(_named_people(actors)["actor_id"].astype(str))
    rel = tables["relations"]
    src, tgt = rel["source_actor_id"].astype(str), rel["target_actor_id"].astype(str)
    tied = (src.isin(minors) & tgt.isin(people)) | (tgt.isin(minors) & src.isin(people))
    return [f"relations.csv {r} ties a child to a named person" for r in rel.loc[tied, "relation_id"]]


def children_rows_pointing_to_relatives(tables: dict[str, pd.DataFrame]) -> list[str]:
    """A child's own rows (description, detention notes) that speak of a parent or other relative."""
    minors = _minors(tables["actors"])
    found = [
        f"actors.csv {m.actor_id} description: {hit.group()!r}"
        for m in minors.itertuples()
        if isinstance(m.description, str) and (hit := FAMILY_WORDS.search(m.description))
    ]
    det = tables["detentions"]
    for row in det[det["actor_id"].astype(str).isin(set(minors["actor_id"].astype(str)))].itertuples():
        if isinstance(row.note, str) and (hit := FAMILY_WORDS.search(row.note)):
            found.append(f"detentions.csv {row.detention_id} note: {hit.group()!r}")
    return found


def minor_labels_with_age(actors: pd.DataFrame) -> list[str]:
    """Children whose label, id or description states their age (it belongs in the age column only)."""
    found = []
    for m in _minors(actors).itertuples():
        if not re.fullmatch(r"Minor(?:, [^\d,()]+)*(?: \(\d{1,3}\))?", str(m.name)):
            found.append(f"actors.csv {m.actor_id}: label {m.name!r} is not 'Minor, <place> (<n>)'")
        if not re.fullmatch(r"minor(?:-[a-z]+)+-\d{1,3}", str(m.actor_id)):
            found.append(f"actors.csv {m.actor_id}: the id carries more than place and counter")
        if isinstance(m.description, str) and (
            child_age(m.description) or re.search(r"\b\d{1,2}\s*years\b", m.description)
        ):
            found.append(f"actors.csv {m.actor_id}: the description states an age")
    return found


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: load_table(name) for name in ("actors", "detentions", "sentences", "relations", "events")}


def test_minors_in_the_data_are_labelled_not_named() -> None:
    actors = load_table("actors")
    minors = actors[actors["is_minor"]]
    assert len(minors) >= 5
    assert minors["name"].str.startswith("Minor").all()
    assert minors["aliases"].isna().all()


def test_no_named_persons_row_mentions_a_child(tables: dict[str, pd.DataFrame]) -> None:
    found = named_rows_mentioning_children(tables)
    assert not found, "\n".join(found)


def test_no_relation_ties_a_child_to_a_named_person(tables: dict[str, pd.DataFrame]) -> None:
    assert not relations_tying_children(tables)


def test_childrens_rows_point_to_no_relative(tables: dict[str, pd.DataFrame]) -> None:
    found = children_rows_pointing_to_relatives(tables)
    assert not found, "\n".join(found)


def test_childrens_labels_carry_no_age(tables: dict[str, pd.DataFrame]) -> None:
    found = minor_labels_with_age(tables["actors"])
    assert not found, "\n".join(found)
    assert _minors(tables["actors"])["age"].notna().sum() >= 4  # the ages are kept, in their own column


def hand_made() -> dict[str, pd.DataFrame]:
    """A named woman, an adult son, a child held with the woman: every rule above broken once."""
    actors = pd.DataFrame(
        {
            "actor_id": ["woman", "adult-son", "minor-13-town-1", "police"],
            "name": ["Ann Example", "Ben Example", "Minor, 13, Town", "Police"],
            "kind": ["person", "person", "person", "armed-force"],
            "aliases": [None] * 4,
            "is_minor": [False, False, True, False],
            "age": [None, None, 13, None],
            "description": [
                "Woman held with her daughter",
                "Son of Ann Example; runs a shop",
                "Girl aged 13 held with her mother",
                None,
            ],
        }
    )
    detentions = pd.DataFrame(
        {
            "detention_id": ["d1", "d2", "d3"],
            "actor_id": ["woman", "minor-13-town-1", "adult-son"],
            "note": ["Held together with minor-13-town-1", "Held with her mother", None],
        }
    )
    sentences = pd.DataFrame(
        {"sentence_id": ["s1"], "actor_id": ["woman"], "note": ["Tried with her 13-year-old"], "charges": [None]}
    )
    relations = pd.DataFrame(
        {
            "relation_id": ["r1", "r2"],
            "source_actor_id": ["minor-13-town-1", "minor-13-town-1"],
            "target_actor_id": ["woman", "police"],
            "note": ["daughter of", None],
        }
    )
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2"],
            "title": ["Ann Example held", "Children held in Town"],
            "description": ["She was held with her children.", "Two teenagers held."],
        }
    )
    return {
        "actors": actors,
        "detentions": detentions,
        "sentences": sentences,
        "relations": relations,
        "events": events,
    }


def test_the_data_rules_fail_on_hand_made_breaches() -> None:
    case = hand_made()
    named = named_rows_mentioning_children(case)
    assert [f.split(":")[0] for f in named] == [
        "actors.csv woman description",
        "detentions.csv d1 (woman) note",
        "sentences.csv s1 (woman) note",
        "relations.csv r1 note",
        "events.csv e1 (names a person)",
    ]  # not the adult son, not the unnamed event
    assert relations_tying_children(case) == ["relations.csv r1 ties a child to a named person"]  # not r2 (police)
    assert [f.split(":")[0] for f in children_rows_pointing_to_relatives(case)] == [
        "actors.csv minor-13-town-1 description",
        "detentions.csv d2 note",
    ]
    assert len(minor_labels_with_age(case["actors"])) == 3  # label, id and description
    fixed = case["actors"].assign(
        actor_id=["woman", "adult-son", "minor-town-1", "police"],
        name=["Ann Example", "Ben Example", "Minor, Town (1)", "Police"],
        description=[None, None, "Girl held in Town", None],
    )
    assert minor_labels_with_age(fixed) == []


# -------------------------------------------------------------- 3. the book: bands only, no child beside a named person

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
CHAPTERS = [
    ROOT / f"{f}.ipynb" for f in [TOC["root"]] + [c["file"] for c in TOC["chapters"]] if not (ROOT / f"{f}.md").exists()
]  # Markdown pages (explorer, changes) are generated at build time


def notebook_units(nb: dict) -> list[str]:
    """What a reader sees side by side: prose paragraphs, table rows, output lines, single hover texts."""
    units = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            units += re.split(r"\n\s*\n", "".join(cell["source"]))
        for out in cell.get("outputs", []):
            texts = [out.get("text", "")] + [
                v for k, v in out.get("data", {}).items() if k.startswith("text/") or k.endswith("+json")
            ]
            for value in texts:
                raw = (
                    "".join(value)
                    if isinstance(value, list)
                    else value
                    if isinstance(value, str)
                    else json.dumps(value)
                )
                raw = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), raw)
                raw = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", " ", raw)
                units += [html.unescape(u) for u in re.split(r"</tr>|\n|\\n|\",\s*\"|</p>", raw)]
    return [u for u in units if u.strip()]


def children_beside_named_people(nb: dict, actors: pd.DataFrame) -> list[str]:
    """Units of a notebook that show a child's exact age, or a child (label, id or age) beside a named person."""
    minors, people = _minors(actors), _named_people(actors)
    named = _names_pattern(people)
    child = re.compile(
        "|".join(
            [r"\bMinor\b(?!\s+(?:bodily|injur|harm|damage|offen))"]
            + [re.escape(k) for k in minors["actor_id"].astype(str)]
        )
    )
    found = []
    for unit in notebook_units(nb):
        age = child_age(unit)
        if age:
            found.append(f"a child's exact age ({age!r}): {unit.strip()[:160]}")
        elif child.search(unit) and (who := named.search(unit)):
            found.append(f"a child beside {who.group()!r}: {unit.strip()[:160]}")
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_book_shows_no_child_beside_a_named_person(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = children_beside_named_people(nb, tables["actors"])
    assert not found, f"{path.name} (re-run the chapter if only its stored outputs are old):\n" + "\n".join(found)


def test_the_book_check_fails_on_hand_made_outputs() -> None:
    actors = hand_made()["actors"]
    table = (
        "<table><tr><td>Rally</td><td>Ann Example; Minor, Town (1)</td></tr>"
        "<tr><td>Raid</td><td>Ben Example</td></tr><tr><td>Town</td><td>under 14</td><td>1</td></tr></table>"
    )
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["Ann Example was held.\n\nA 13-year-old was held too."]},
            {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {"text/html": [table]}}]},
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {
                            "text/html": [
                                '{"hovertext":["\\u003cb\\u003eBen Example\\u003c/b\\u003e",'
                                ' "minor-13-town-1 aged 13"]}'
                            ]
                        },
                    }
                ],
            },
        ]
    }
    found = children_beside_named_people(nb, actors)
    assert [f.split(":")[0] for f in found] == [
        "a child's exact age ('13-year-old')",
        "a child beside 'Ann Example'",
        "a child's exact age ('aged 13')",
    ]


def test_the_analysis_leaves_children_out_of_everything_beside_named_people(tables: dict[str, pd.DataFrame]) -> None:
    """The code paths behind the chapters' tables: labels without ages, no child in the co-detention views or lists."""
    actors = tables["actors"]
    minors = _minors(actors)
    labels = person_labels(actors)
    assert [
        minor_label(x)
        for x in (
            "Minor, 16, Tikantape (a)",
            "Minor, age not stated, Tabriz",
            "Sam Placeholder",
            "Minor (2)",
            "Minor, Tikantape (1)",
        )
    ] == ["Minor, Tikantape (a)", "Minor, Tabriz", "Minor", "Minor (2)", "Minor, Tikantape (1)"]
    assert not any(child_age(labels[a]) or re.search(r"\d{2}", labels[a]) for a in minors["actor_id"])
    bipartite = detention_graph(tables["detentions"], tables["events"], actors)
    assert not set(minors["actor_id"]) & set(bipartite)
    people = "; ".join(detention_event_table(bipartite, tables["events"], labels)["people"])
    assert "Minor" not in people
    places = load_table("places")
    listed = named_against_stated(tables["detentions"], actors, tables["events"], places)
    assert "Minor" not in " ".join(listed["named_people"])
    bands = minors_summary(actors, tables["detentions"], places)
    assert set(bands["age_band"].astype(str)) <= set(AGE_BANDS) and bands["minors"].sum() == len(minors)
    assert AGE_BANDS == ("under 14", "14-17", "age not stated")
