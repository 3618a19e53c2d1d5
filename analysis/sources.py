"""How much of the data each source document supports: per file, per topic and per perspective."""

from __future__ import annotations

import re
import urllib.parse

import pandas as pd

from .words import is_missing, myst_text

#: The book topic each table feeds; events are split by theatre.
TABLE_TOPICS = {
    "relations": "actor networks",
    "equipment_losses": "equipment losses",
    "loss_claims": "equipment losses",
    "casualties": "human losses",
    "damage": "human losses",
    "detentions": "detentions and sentences",
    "sentences": "detentions and sentences",
    "sentence_totals": "detentions and sentences",
}
EVENT_TOPICS = {
    "azerbaijan": "July protests and Azerbaijan",
    "front": "the war",
    "armenia": "the war",
    "international": "diplomacy and reactions",
    "iran": "rallies in Iran",
}


#: Columns that hold a figure (a number a reader could quote).
def _sourced(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    # rows drawn from the documents (the map geography names a registry package instead, in 'source')
    return {name: t for name, t in tables.items() if {"source_id", "locator"} <= set(t.columns)}


def rows_per_source(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows each source supports in each file (sources as rows, files as columns, plus a total)."""
    counts = {name: t["source_id"].astype(object).value_counts() for name, t in _sourced(tables).items()}
    out = pd.DataFrame(counts).fillna(0).astype(int)
    out["total"] = out.sum(axis=1)
    out.index.name = "source_id"
    return out.sort_values("total", ascending=False)


def rows_per_topic(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows each source supports per book topic (long format: topic, source_id, rows)."""
    parts = []
    for name, t in _sourced(tables).items():
        if name == "events":
            topic = t["theatre"].astype(object).map(EVENT_TOPICS)
        elif name in TABLE_TOPICS:
            topic = pd.Series(TABLE_TOPICS[name], index=t.index)
        else:
            continue
        parts.append(pd.DataFrame({"topic": topic.to_numpy(), "source_id": t["source_id"].astype(object).to_numpy()}))
    long = pd.concat(parts, ignore_index=True)
    return long.groupby(["topic", "source_id"]).size().rename("rows").reset_index()


def reliance_by_topic(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Share of each topic's rows that each source supports, with the source's perspective.

    Columns: topic, source_id, perspective, rows, share (of the topic's rows; shares of a topic sum to 1).
    """
    long = rows_per_topic(tables)
    perspective = tables["sources"].set_index("source_id")["perspective"].astype(object)
    long["perspective"] = long["source_id"].map(perspective)
    long["share"] = long["rows"] / long.groupby("topic")["rows"].transform("sum")
    return long.sort_values(["topic", "rows"], ascending=[True, False]).reset_index(drop=True)


def reliance_by_perspective(reliance: pd.DataFrame) -> pd.DataFrame:
    """A reliance_by_topic() table summed per perspective: topic, perspective, rows, share; topics by activist share."""
    out = reliance.groupby(["topic", "perspective"], as_index=False)[["rows", "share"]].sum()
    activist = out[out["perspective"] == "south-azerbaijani-activist"].set_index("topic")["share"]
    order = sorted(out["topic"].unique(), key=lambda t: (-activist.get(t, 0.0), t))
    out["topic"] = pd.Categorical(out["topic"], categories=order, ordered=True)
    return out.sort_values(["topic", "rows"], ascending=[True, False]).reset_index(drop=True)


#: Source kinds whose documents are copies of a living web article, split into linkable sections.
LIVING_KINDS = ("encyclopedia",)
#: An https address made only of the characters a URL may hold unescaped (no space, quote or angle bracket).
PLAIN_URL = re.compile(r"https://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")
LIVING_NOTE = (
    "The article is a living document: it may have changed since the copy the data was taken from, "
    "so a section may now read differently or carry another heading."
)


def section_anchor(locator: object) -> str:
    """The section heading a locator names, as a Wikipedia URL fragment ('' for the lead or no section).

    A locator reads 'Section / Subsection ¶2' or 'Section ¶1'; the last heading is the anchor, its
    spaces written as underscores ('Background / First Nagorno-Karabakh War ¶1' gives
    'First_Nagorno-Karabakh_War'). The lead has no heading of its own, so it gets none.
    """
    if is_missing(locator):
        return ""
    text = str(locator).split("¶")[0].strip()
    heading = text.split(" / ")[-1].strip()
    if not heading or heading.lower() in {"lead", "infobox"}:
        return ""
    return heading.replace(" ", "_")


def locator_url(sources: pd.DataFrame, source_id: object, locator: object) -> str:
    """Where a reader can open the cited passage: the article's URL plus its section anchor, for living articles.

    Empty for documents without a URL or that are not sectioned web articles (a locator there is
    only text to look for in the document).
    """
    rows = sources[sources["source_id"].astype(str) == str(source_id)]
    if rows.empty:
        return ""
    row = rows.iloc[0]
    url = row["url"]
    if is_missing(url) or str(row["kind"]) not in LIVING_KINDS or not PLAIN_URL.fullmatch(str(url)):
        return ""
    anchor = section_anchor(locator)
    return f"{url}#{urllib.parse.quote(anchor, safe='_-.~')}" if anchor else str(url)


def finding_aid(source: pd.Series) -> str:
    """What a reader needs to find the document: its address (with the living-article note), or the copy's own clues.

    Raises ValueError for a source that has neither a URL nor a ``finding_aid``.
    """

    def given(column: str) -> str:
        value = source.get(column)
        return "" if value is None or pd.isna(value) else str(value).strip()

    if given("url"):
        note = f" {LIVING_NOTE}" if given("kind") in LIVING_KINDS else ""
        return f"{given('url')}{note}"
    if not given("finding_aid"):
        raise ValueError(f"source {given('source_id')!r} has neither a url nor a finding_aid")
    return given("finding_aid")


def cited_sections(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every section of a living article that a data row cites: source_id, section, rows citing it, and its URL."""
    sources = tables["sources"]
    living = set(sources.loc[sources["kind"].astype(str).isin(LIVING_KINDS), "source_id"].astype(str))
    parts = [t[["source_id", "locator"]].astype(object) for t in _sourced(tables).values()]
    cited = pd.concat(parts, ignore_index=True).dropna()
    cited = cited[cited["source_id"].astype(str).isin(living)]
    cited["section"] = cited["locator"].map(lambda loc: str(loc).split("¶")[0].strip().split(" / ")[-1].strip())
    cited["url"] = [locator_url(sources, s, loc) for s, loc in zip(cited["source_id"], cited["locator"])]
    out = cited.groupby(["source_id", "section", "url"], sort=False).size().rename("rows").reset_index()
    return out.sort_values(["source_id", "section"]).reset_index(drop=True)[["source_id", "section", "rows", "url"]]


def section_links(tables: dict[str, pd.DataFrame]) -> str:
    """MyST text: per living article, a link to each section the data cites (URL plus anchor), with the living-article
    note."""
    sections = cited_sections(tables)
    titles = tables["sources"].set_index("source_id")["title"].astype(str)
    lines = []
    for source_id, group in sections.groupby("source_id", sort=True):
        links = "; ".join(
            f"[{myst_text(s)}](<{u}>) ({r} {'row' if r == 1 else 'rows'})"
            for s, u, r in zip(group["section"], group["url"], group["rows"])
        )
        lines.append(f"- **{myst_text(titles[source_id])}**: {links}")
    return "\n".join(lines) + f"\n\n{LIVING_NOTE}\n"


def activist_source(sources: pd.DataFrame) -> str:
    """The source_id of the activist report (the one source of the south-Azerbaijani activist perspective)."""
    found = sources.loc[sources["perspective"].astype(str).eq("south-azerbaijani-activist"), "source_id"].astype(str)
    if len(found) != 1:
        raise ValueError(f"expected one activist report, found {len(found)}")
    return str(found.iloc[0])


def most_rows(counts: pd.DataFrame | pd.Series, sources: pd.DataFrame, perspective: str) -> str:
    """Of the sources of one perspective, the source_id with the most rows in ``counts`` (indexed by source_id, or
    a frame with a source_id column and one count column)."""
    series = counts if isinstance(counts, pd.Series) else counts.set_index("source_id").iloc[:, 0]
    of = set(sources.loc[sources["perspective"].astype(str).eq(perspective), "source_id"].astype(str))
    mine = series[[str(i) in of for i in series.index]]
    if mine.empty:
        raise ValueError(f"no source of perspective {perspective!r} in these counts")
    return str(mine.astype(float).idxmax())


def reliance_rows(reliance: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The bars of the reliance chart (a reliance_by_perspective() table), each with the documents of that
    perspective: the rows of the chart's "Download data"."""
    from .cards import readable, source_titles  # the card module reads the package descriptor: imported when used

    titles = source_titles(sources)
    by_perspective = sources.groupby(sources["perspective"].astype(str))["source_id"].agg(
        lambda ids: "; ".join(titles[str(i)] for i in sorted(ids))
    )
    return readable(reliance.assign(sources=reliance["perspective"].astype(str).map(by_perspective)), "sources")


def short_titles(sources: pd.DataFrame) -> dict[str, str]:
    """Each document's short title (the name source lines give it), by source_id."""
    return dict(zip(sources["source_id"].astype(str), sources["short_title"].astype(str)))


def titled(frame: pd.DataFrame, sources: pd.DataFrame, column: str = "source_id", name: str = "source") -> pd.DataFrame:
    """``frame`` with its column of source ids (one id, or several joined by '; ' or ', ') replaced, in place
    of it, by a column ``name`` of the documents' short titles: what a reader sees instead of the ids."""
    titles = short_titles(sources)

    def title(value: object) -> object:
        if is_missing(value):
            return value
        return "; ".join(titles.get(part, part) for part in re.split(r"[;,] ", str(value)))

    out = frame.copy()
    out[column] = out[column].map(title)
    return out.rename(columns={column: name})


#: The chapter that shows each topic of rows_per_topic (page name under book/ and its title).
TOPIC_CHAPTERS = {
    "July protests and Azerbaijan": ("protests", "The July protests"),
    "the war": ("war", "The war"),
    "diplomacy and reactions": ("war", "The war"),
    "human losses": ("human-losses", "Human losses"),
    "equipment losses": ("equipment-losses", "Equipment losses"),
    "actor networks": ("networks", "Networks"),
    "rallies in Iran": ("iran-rallies", "Rallies in Iran"),
    "detentions and sentences": ("sentences", "Sentences"),
}
#: The perspectives of documents written from one side's point of view, and how the balance names them.
SIDE_PERSPECTIVES = {
    "azerbaijani-government": "the Azerbaijani-government commentary",
    "south-azerbaijani-activist": "the activist report",
}


def balance_lines(reliance: pd.DataFrame) -> str:
    """MyST list, one line per topic (reliance_by_topic order of TOPIC_CHAPTERS): its chapter, its rows, and the
    share of them from each document written from one side's point of view (SIDE_PERSPECTIVES)."""
    lines = []
    for topic, (page, title) in TOPIC_CHAPTERS.items():
        part = reliance[reliance["topic"].astype(str) == topic]
        if part.empty:
            continue
        rows = int(part["rows"].sum())
        shares = part.groupby(part["perspective"].astype(str))["rows"].sum() / rows
        named = [f"{shares.get(p, 0.0):.0%} from {words}" for p, words in SIDE_PERSPECTIVES.items()]
        # the topic only where it differs from the chapter's name ('The war, diplomacy and reactions', not twice)
        what = "" if topic.lower() in title.lower() else f", {myst_text(topic)}"
        lines.append(f"- [{myst_text(title)}]({page}.ipynb){what} ({rows} rows): " + ", ".join(named) + ".")
    return "\n".join(lines) + "\n"
