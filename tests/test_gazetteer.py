"""Place names: the gazetteer, both names at first mention per chapter, one spelling per place, the stated policy."""

from __future__ import annotations

import csv
import difflib
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA, ROOT

from analysis import gazetteer, maps

CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))

PLACES = pd.DataFrame(
    {
        "place_id": ["town-a", "town-b", "town-c", "city-x", "site-y"],
        "name": ["Alpha", "Beta", "Gamma", "Xcity", "Y bridge"],
        "country": ["AZ", "AZ", "AZ", "IR", "ZZ"],
        "admin_region": ["Nagorno-Karabakh", "Lachin District", "Nagorno-Karabakh", "Tabriz", None],
        "kind": ["town", "town", "town", "city", "site"],
        "latitude": [39.5, 39.6, None, 38.08, -1.5],
        "longitude": [46.5, 46.6, None, 46.29, -2.25],
        "coord_precision": ["city", "district", None, "city", "city"],
        "aliases": ["Omega|Alfa", None, None, "Ekscity", None],
        "other_names": ["Zeta", "Delta|Bheta", None, None, None],
        "source_id": ["doc-a", "doc-a", "doc-b", "doc-b", "doc-a"],
        "locator": ["Lead ¶1", "Lead ¶2", "Section ¶3", "Section ¶4", "Lead ¶5"],
    }
)
SOURCES = pd.DataFrame(
    {"source_id": ["doc-a", "doc-b"], "title": ["Document A", "Document B"], "short_title": ["Doc A", "Doc B"]}
)


def test_gazetteer_on_a_handmade_frame() -> None:
    g = gazetteer.gazetteer(PLACES, SOURCES).set_index("Place")
    assert list(g.reset_index().columns) == gazetteer.GAZETTEER_COLUMNS
    assert list(g.index) == ["Alpha", "Beta", "Gamma", "Xcity", "Y bridge"]  # Azerbaijan, Iran, then the code ZZ
    # a different word among the aliases is the other side's form, used by a document; a spelling is not
    assert g.at["Alpha", "Other side's form"] == "Omega"
    assert g.at["Alpha", "Also written in the documents"] == "Alfa"
    assert g.at["Alpha", "Other names (in no document)"] == "Zeta"
    # without such an alias, the first other name, marked as in no document
    assert g.at["Beta", "Other side's form"] == "Delta (in no document)"
    assert g.at["Beta", "Other names (in no document)"] == "Bheta"
    assert pd.isna(g.at["Gamma", "Other side's form"]) and pd.isna(g.at["Gamma", "Coordinates"])
    assert pd.isna(g.at["Xcity", "Other side's form"])  # outside the contested area
    assert g.at["Xcity", "Also written in the documents"] == "Ekscity"
    assert g.at["Alpha", "Coordinates"] == "39.50° N, 46.50° E"
    assert g.at["Beta", "Coordinates"] == "39.60° N, 46.60° E (district centre)"
    assert g.at["Y bridge", "Coordinates"] == "1.50° S, 2.25° W"
    assert g.at["Xcity", "Country"] == "Iran" and g.at["Y bridge", "Country"] == "ZZ"
    assert g.at["Gamma", "First named in"] == "Doc B, Section ¶3"  # documents by their short titles


def test_gazetteer_of_the_mini_fixture(tiny) -> None:
    g = gazetteer.gazetteer(tiny["places"], tiny["sources"])
    assert len(g) == len(tiny["places"])
    tabriz = g.set_index("Place").loc["Tabriz"]
    assert tabriz["Also written in the documents"] == "Təbriz, Tebriz" and pd.isna(tabriz["Other side's form"])
    assert tabriz["First named in"] == "Report, Tabriz ¶1"


def test_gazetteer_of_the_real_data_holds_every_name_once(real) -> None:
    places, g = real["places"], gazetteer.gazetteer(real["places"], real["sources"])
    assert len(g) == len(places) and g["Place"].is_unique
    rows = g.set_index("Place")
    assert rows.at["Shusha", "Other side's form"] == "Shushi (in no document)"
    assert rows.at["Stepanakert", "Other side's form"] == "Khankendi"  # the activist report and the commentary
    assert rows.at["Martuni", "Other side's form"] == "Khojavend"
    assert rows.at["Lachin", "Other side's form"] == "Berdzor (in no document)"
    assert rows.at["Stepanakert", "Other names (in no document)"] == "Khankandi"
    contested = set(rows.index[rows["Other side's form"].notna()])
    assert {"Aghdam", "Fuzuli", "Gubadli", "Jabrayil", "Kalbajar", "Zangilan"} <= contested
    for place in places.itertuples():  # every form of every name is in the place's row
        row = " | ".join(str(v) for v in rows.loc[place.name])
        for form in gazetteer._split(place.aliases) + gazetteer._split(place.other_names):
            assert form in row, (place.name, form)


def test_mentions_take_the_longest_form() -> None:
    places = pd.DataFrame(
        {
            "place_id": ["lachin", "lachin-corridor", "shusha"],
            "name": ["Lachin", "Lachin corridor", "Shusha"],
            "aliases": [None, None, None],
            "other_names": ["Berdzor", None, "Shushi"],
        }
    )
    found = gazetteer.mentions("The Lachin corridor runs past Berdzor; Shusha-based units", places)
    assert [(p, f) for _, p, f in found] == [("lachin-corridor", "Lachin corridor"), ("lachin", "Berdzor")]


def test_missing_other_forms_checks_the_first_mention_only() -> None:
    assert gazetteer.missing_other_forms("Alpha (Omega) fell; later Alpha again.", PLACES) == []
    assert gazetteer.missing_other_forms("Omega (Alpha) fell.", PLACES) == []
    assert gazetteer.missing_other_forms("Xcity and Gamma", PLACES) == []  # no other side's form to give
    problems = gazetteer.missing_other_forms("Alpha fell; later Alpha (Omega).", PLACES)
    assert len(problems) == 1 and problems[0].startswith("Alpha: first named as 'Alpha' without 'Alpha (Omega)'")
    assert gazetteer.missing_other_forms("Delta held out.", PLACES)[0].startswith("Beta: first named as 'Delta'")


def test_both_name_and_glue_words(real) -> None:
    assert gazetteer.both_name(real["places"], "shusha") == "Shusha (Shushi)"
    assert gazetteer.both_name(real["places"], "tabriz") == "Tabriz"
    assert gazetteer.name_words(real["places"], ["stepanakert"]) == {"stepanakert": "Stepanakert (Khankendi)"}
    assert gazetteer.with_other_forms(["Fuzuli", "Ganja", "Not a place"], real["places"]) == [
        "Fuzuli (Varanda)",
        "Ganja",
        "Not a place",
    ]
    with pytest.raises(KeyError, match="unknown place_id"):
        gazetteer.both_name(real["places"], "atlantis")


# --- the stored chapters


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _glued(nb: dict) -> dict[str, str]:
    return {
        out["metadata"]["scrapbook"]["name"]: str(next(iter(out["data"].values())))
        for c in nb["cells"]
        for out in c.get("outputs", [])
        if "scrapbook" in out.get("metadata", {})
    }


def prose(nb: dict) -> str:
    """A chapter's Markdown as a reader sees it: glue references replaced by their stored values."""
    glued = _glued(nb)
    return "\n\n".join(
        re.sub(r"\{glue(?::\w+)?\}`([^`]+)`", lambda m: glued[m.group(1)], "".join(c["source"]))
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_first_mention_of_a_contested_town_in_each_chapter_gives_both_names(path: Path, real) -> None:
    assert gazetteer.missing_other_forms(prose(_nb(path)), real["places"]) == []


def test_the_war_chapter_names_the_contested_towns_with_both_forms() -> None:
    text = prose(_nb(ROOT / "book" / "war.ipynb"))
    for both in ("Shusha (Shushi)", "Stepanakert (Khankendi)", "Lachin (Berdzor)", "Kalbajar (Karvachar)"):
        assert both in text


def test_the_naming_policy_is_stated_in_how_to_read_and_the_data_readme(real) -> None:
    index = prose(_nb(ROOT / "book" / "index.ipynb"))
    how_to_read = index[index.index("## How to read this book") :]
    policy = how_to_read[how_to_read.index("**Place names.**") :].split("\n- ")[0]
    assert "first mention in each chapter" in policy and "[gazetteer](sources-gazetteer)" in policy
    examples = re.findall(r"([A-Z][a-z]+) \(([A-Z][a-z]+)\)", policy)
    assert len(examples) >= 5
    both = maps.both_names(real["places"])
    shown = set(both.values)
    for name, other in examples:  # the typed examples say what the data says
        assert f"{name} ({other})" in shown, (name, other)
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "**Naming policy.**" in readme and "first mention in each chapter" in readme
    sources = _nb(ROOT / "book" / "sources.ipynb")
    assert "(sources-gazetteer)=\n## Places and their names" in prose(sources)
    assert 'id="table-sources-gazetteer"' in json.dumps([c.get("outputs", []) for c in sources["cells"]]).replace(
        '\\"', '"'
    )


# --- one spelling per place

#: Spellings of a place's name that stand in reader text for something else.
NOT_THE_PLACE = {"Nadarli": "the surname of Hamid Manafi Nadarli"}
#: Columns of the data whose text is not the project's own words: keys, quoted headings, the names themselves.
NOT_PROSE = {"locator", "aliases", "other_names", "url", "file", "source", "variant_of", "part_of", "appeal_of"}


def spellings(places: pd.DataFrame) -> dict[str, str]:
    """Other spellings of a place's name (letters at least 60% alike, neither a short form of the other,
    not the other side's form): spelling -> the book's name."""
    others = maps.other_side_names(places)
    out = {}
    for row in places.itertuples():
        for form in gazetteer._split(row.aliases) + gazetteer._split(row.other_names):
            a, b = maps._fold(row.name), maps._fold(form)
            if form == others[row.place_id] or a in b or b in a:
                continue
            if difflib.SequenceMatcher(None, a, b).ratio() >= 0.6 and form not in NOT_THE_PLACE:
                out[form] = row.name
    return out


def test_spellings_are_found_as_intended(real) -> None:
    found = spellings(real["places"])
    assert found["Khudaferin"] == "Khudafarin Bridges" and found["Agdam"] == "Aghdam" and found["Julfa"] == "Jolfa"
    assert "Shushi" not in found and "Karabakh" not in found and "Khankendi" not in found


def _reader_texts() -> list[tuple[str, str]]:
    locators = set()
    texts = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for i, row in enumerate(rows, 2):
            locators.add(row.get("locator") or "")
            for column, value in row.items():
                if column not in NOT_PROSE and not column.endswith("_id") and value:
                    texts.append((f"{path.name} row {i} {column}", value))
    for path in CHAPTERS:
        nb = _nb(path)
        texts.append((f"{path.name} prose", prose(nb)))
        for c in nb["cells"]:
            for out in c.get("outputs", []):
                for kind in ("text/html", "text/plain", "application/vnd.plotly.v1+json"):
                    value = out.get("data", {}).get(kind)
                    if value is None:
                        continue
                    text = (
                        value
                        if isinstance(value, str)
                        else "".join(value)
                        if isinstance(value, list)
                        else json.dumps(value)
                    )
                    if "sources-gazetteer" in text:  # the gazetteer lists every spelling on purpose
                        continue
                    text = re.sub(
                        r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), text
                    )  # plotly's JSON escapes
                    for locator in sorted(filter(None, locators), key=len, reverse=True):
                        text = text.replace(locator, "")
                    texts.append((f"{path.name} cell {c.get('id')} {kind}", text))
    return texts


def test_one_spelling_per_place_in_data_text_prose_and_outputs(real) -> None:
    found = spellings(real["places"])
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(found, key=len, reverse=True))) + r")(?![\w-])"
    )
    stray = sorted(
        {
            f"{where}: {m.group(1)!r} (write {found[m.group(1)]!r})"
            for where, text in _reader_texts()
            for m in pattern.finditer(text)
        }
    )
    assert not stray, "\n".join(stray)


# --- search

SEARCH_INDEX = ROOT / "_build" / "html" / "searchindex.js"


@pytest.mark.skipif(not SEARCH_INDEX.exists(), reason="book not built: run `make book`")
def test_search_finds_every_place_by_any_of_its_names(real) -> None:
    """Sphinx's search index lists the Sources page (the gazetteer) for every word of every name."""
    from sphinx.search.en import SearchEnglish

    english = SearchEnglish({})
    text = SEARCH_INDEX.read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    sources = index["docnames"].index("book/sources")
    missing = []
    for form in gazetteer.all_forms(real["places"]):
        for word in english.split(form.lower()):
            if not english.word_filter(word) or word in english.stopwords:
                continue
            pages = index["terms"].get(english.stem(word), [])
            if sources not in ([pages] if isinstance(pages, int) else pages):
                missing.append(f"{form}: {word}")
    assert not missing, missing
    shushi = index["terms"][english.stem("shushi")]
    assert {index["docnames"][i] for i in shushi} >= {"book/sources", "book/war"}
