"""The data's own voice is neutral: either side's loaded terms appear only quoted or attributed.

Each term below is one side's (or one author's) framing of the conflict. In a free-text field of the
data (titles, descriptions, notes, claimed items, ...) it may appear only inside quotation marks or in
a sentence that attributes it ("the commentary calls ...", "according to ..."). Names of
organisations and the documents' own titles stay as they are, so actors' names and aliases and the
sources table are not read.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

#: Loaded terms of the Azerbaijani side and of the activist report, then of the Armenian side.
LOADED: tuple[str, ...] = (
    r"occup(?:ied|ation|ier|iers|ying)",
    r"liberat(?:e|ed|es|ing|ion|or|ors)",
    r"armenian aggression",
    r"aggressor",
    r"terroris[tm]s?",
    r"patriotic war",
    r"iron fist",
    r"south(?:ern)? azerbaijan(?:is?)?",
    r"compatriots?",
    r"martyrs?",
    r"heroic",
    r"glorious",
    r"provocations?",
    r"separatists?",
    r"puppet regime",
    r"azerbaijani aggression",
    r"turkish aggression",
    r"turkish-azerbaijani aggression",
    r"mercenar(?:y|ies)",
    r"jihadists?",
    r"genocidal",
    r"ethnic cleansing",
    r"self-defen[cs]e war",
)
TERMS = re.compile(r"\b(?:" + "|".join(LOADED) + r")\b", flags=re.IGNORECASE)
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’")
ATTRIBUTION = re.compile(
    r"\b(?:says?|said|calls?|called|describ(?:es|ed)|terms?|termed|according to|in the words of|claims?|claimed|"
    r"refers? to|referred to|names?|named|words?|wording|label(?:s|led)?|puts? it|speaks? of|spoke of|"
    r"accus(?:es|ed)|alleg(?:es|ed|ation)|den(?:y|ies|ied)|documented|view|perspective|stated?|states|reports?|"
    r"reported|report's|document's|commentary's|"
    r"author's|article's)\b",
    flags=re.IGNORECASE,
)
#: Free-text columns written in the project's own words (names of people and organisations excluded).
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("title", "description"),
    "relations": ("note",),
    "casualties": ("note", "period"),
    "equipment_losses": ("note",),
    "loss_claims": ("claimed_item", "note"),
    "damage": ("item", "note"),
    "detentions": ("note", "circumstance"),
    "sentences": ("charges", "other_terms", "note"),
    "sentence_totals": ("note",),
    "actors": ("description",),
}


#: Proper names that contain a loaded word (titles of awards); names of actors and places are added from the data.
PROPER_NAMES: tuple[str, ...] = ("Hero of the Patriotic War", "Patriotic War medal")


def unattributed_terms(text: str, names: tuple[str, ...] = PROPER_NAMES) -> list[str]:
    """Loaded terms in ``text`` outside quotation marks and proper ``names``, in a sentence that attributes nothing."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    found = []
    for sentence in re.split(r"(?<=[.;!?])\s+", text):
        bare = QUOTED.sub(" ", sentence)
        terms = TERMS.findall(bare)
        if terms and not ATTRIBUTION.search(sentence):
            found += terms
    return found


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("Armenian forces leave the occupied districts", ["occupied"]),
        ("Rally of South Azerbaijanis in Tabriz", ["South Azerbaijanis"]),
        ("The commentary calls the return of the districts 'liberation'.", []),
        ("Districts described by Azerbaijan as occupied are handed over", []),
        ("Handover of the districts held by Armenian forces since 1994", []),
        ('Rally of Azerbaijanis in Iran in Tabriz; the report\'s term is "South Azerbaijan".', []),
        ("Aliyev: the 'Patriotic War' ends. Azerbaijan liberated Shusha.", ["liberated"]),
    ],
)
def test_the_rule_flags_framing_in_our_voice_and_passes_quotation_and_attribution(text: str, flagged: list) -> None:
    assert unattributed_terms(text) == flagged


def _proper_names(real: dict) -> tuple[str, ...]:
    """Names of actors (but not of people's groups described in our words) and places, with their spellings."""
    names = list(PROPER_NAMES)
    for table in ("actors", "places"):
        frame = real[table]
        names += [str(n) for n in frame["name"].dropna()]
        names += [str(n).rsplit(" (", 1)[0] for n in frame["name"].dropna() if str(n).endswith(")")]
        for column in ("aliases", "other_names"):
            if column in frame:
                names += [a for v in frame[column].dropna() for a in str(v).split("|") if a]
    return tuple(n for n in names if TERMS.search(n))


def test_no_loaded_term_in_the_datas_own_voice(real: dict) -> None:
    names = _proper_names(real)
    problems = []
    for table, columns in TEXT_COLUMNS.items():
        frame = real[table]
        key = frame.columns[0]
        for column in columns:
            for row_key, text in zip(frame[key], frame[column]):
                if pd.notna(text) and (terms := unattributed_terms(str(text), names)):
                    problems.append(f"{table}.csv {row_key} {column}: {', '.join(terms)} in {str(text)[:120]!r}")
    assert not problems, "loaded terms in the data's own voice:\n" + "\n".join(problems)
