"""Fingerprints of the five source documents, so the privacy and own-words tests run in every clone.

The documents live outside the repository (``../shared/seeds/``). What the tests need from them is
kept in ``tests/fixtures/source-fingerprints.json``, in a form that names no one and quotes nothing:

* ``children``: one salted SHA-256 per child the documents name, of the name's normalised tokens
  (accents dropped, case-folded, joined by one space), with the number of tokens. The names are
  found by the documents' own wording (a person given as ``N-year-old`` with N under 18, or as
  someone's daughter or son), never typed here, so no file of the repository holds them.
* ``shingles``: every run of SHINGLE (10) consecutive words of the documents (lower-cased, words as
  ``tests/conftest.py`` splits them), as the first 40 bits of a salted SHA-256, sorted,
  delta-encoded as varints, zlib-compressed, base64. Ten is the shortest run a test checks; a
  13-word run (conftest.RUN) counts as copied when each of its four 10-word runs is in the
  documents.
* ``documents``: per file, its SHA-256, word and shingle counts, so a changed document is noticed.

The salt is random and kept in the file; without the documents, the hashes reveal a name or a
passage only to someone who already guesses it.

Usage, from the repository root, with the documents in ../shared/seeds/ (or in the folder the
environment variable KARABAKH_SEEDS names):

    python tests/make_fingerprints.py             # rewrite the file (keeps its salt)
    python tests/make_fingerprints.py --check     # exit 1 if the file is out of date with the documents
    python tests/make_fingerprints.py --new-salt  # rewrite it with a new random salt

``tests/test_children.py`` checks that the file is current whenever the documents are present.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import sys
import unicodedata
import zlib
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("KARABAKH_SEEDS", ROOT.parent / "shared" / "seeds"))  # the variable serves other layouts
FINGERPRINTS = Path(__file__).resolve().parent / "fixtures" / "source-fingerprints.json"
SHINGLE = 10  # words per stored run; tests/conftest.py checks runs of 10 and of 13 words
BITS = 40  # bits kept of each shingle's hash: about 3e-8 chance that a new 10-word run collides
VERSION = 1

# How the documents introduce a child: the name follows an age under 18, or "her/his/their daughter/son".
NAME = r"([A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,3})"
CHILD_PATTERNS = (
    re.compile(r"\b(\d{1,2})-year-old " + NAME),
    re.compile(r"\b(?:her|his|their) (?:(\d{1,2})-year-old )?(?:daughter|son),? " + NAME),
)
ADULT_AGE = 18


def words(text: str) -> list[str]:
    """Words as the own-words tests count them (tests/conftest.py): runs of ASCII letters, digits and apostrophes."""
    return re.findall(r"[A-Za-z0-9’']+", text)


def name_tokens(text: str) -> list[str]:
    """Tokens for name matching: letters and digits of any script, accents dropped, case-folded."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return [t.casefold() for t in re.findall(r"[^\W_]+", plain)]


def _digest(salt: str, kind: str, text: str) -> bytes:
    return hashlib.sha256(bytes.fromhex(salt) + kind.encode() + b"\0" + text.encode("utf-8")).digest()


def name_hash(salt: str, tokens: Iterable[str]) -> str:
    """Salted SHA-256 (hex) of a name's normalised tokens joined by one space."""
    return _digest(salt, "name", " ".join(tokens)).hex()


def shingle_hash(salt: str, run: Iterable[str]) -> int:
    """The first BITS bits of the salted SHA-256 of a run of lower-cased words joined by one space."""
    return int.from_bytes(_digest(salt, "run", " ".join(run))[:8], "big") >> (64 - BITS)


def child_names(text: str) -> set[str]:
    """The names the text gives to children: after an age under 18, or as someone's daughter or son."""
    found = set()
    for pattern in CHILD_PATTERNS:
        for match in pattern.finditer(text):
            age, name = match.groups()
            if age is None or int(age) < ADULT_AGE:
                found.add(name)
    return found


def encode_hashes(values: Iterable[int]) -> str:
    """Sorted distinct integers as base64 of zlib-compressed varint deltas."""
    out = bytearray()
    previous = 0
    for value in sorted(set(values)):
        delta, previous = value - previous, value
        while True:
            byte, delta = delta & 0x7F, delta >> 7
            out.append(byte | (0x80 if delta else 0))
            if not delta:
                break
    return base64.b64encode(zlib.compress(bytes(out), 9)).decode("ascii")


def decode_hashes(blob: str) -> frozenset[int]:
    """The integers encode_hashes stored."""
    data = zlib.decompress(base64.b64decode(blob))
    values, value, shift, previous = [], 0, 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            previous += value
            values.append(previous)
            value = shift = 0
    return frozenset(values)


def build(seeds: Path, salt: str) -> dict:
    """The fingerprint record of every *.txt document in ``seeds``, hashed with ``salt`` (hex)."""
    documents, shingles, names = [], set(), set()
    for doc in sorted(seeds.glob("*.txt")):
        raw = doc.read_bytes()
        text = raw.decode("utf-8")
        w = [x.lower() for x in words(text)]
        runs = {shingle_hash(salt, w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)}
        shingles |= runs
        names |= {tuple(name_tokens(n)) for n in child_names(text)}
        documents.append(
            {"file": doc.name, "sha256": hashlib.sha256(raw).hexdigest(), "words": len(w), "shingles": len(runs)}
        )
    return {
        "about": "Salted hashes of the source documents for tests/test_children.py and the own-words tests; "
        "made by tests/make_fingerprints.py (see its docstring). Names no one, quotes nothing.",
        "version": VERSION,
        "salt": salt,
        "shingle_words": SHINGLE,
        "shingle_bits": BITS,
        "documents": documents,
        "children": sorted(
            ({"tokens": len(n), "sha256": name_hash(salt, n)} for n in names), key=lambda c: (c["tokens"], c["sha256"])
        ),
        "shingle_count": len(shingles),
        "shingles": encode_hashes(shingles),
    }


def load(path: Path = FINGERPRINTS) -> dict:
    """The committed fingerprint record."""
    return json.loads(path.read_text(encoding="utf-8"))


def dumps(record: dict) -> str:
    """The record as the file stores it (stable key order, one trailing newline)."""
    return json.dumps(record, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder of the source documents (*.txt)")
    parser.add_argument("--out", type=Path, default=FINGERPRINTS, help="fingerprint file to write or check")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date; write nothing")
    parser.add_argument("--new-salt", action="store_true", help="draw a new random salt instead of keeping the file's")
    args = parser.parse_args(argv)
    if not sorted(args.seeds.glob("*.txt")):
        print(f"no source documents (*.txt) in {args.seeds}", file=sys.stderr)
        return 2
    old = load(args.out) if args.out.exists() else None
    salt = secrets.token_hex(16) if args.new_salt or old is None else old["salt"]
    record = build(args.seeds, salt)
    if args.check:
        if old != record:
            print(
                f"{args.out} is out of date with {args.seeds}: run python tests/make_fingerprints.py", file=sys.stderr
            )
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(dumps(record), encoding="utf-8")
    print(
        f"wrote {args.out} ({args.out.stat().st_size} bytes): {len(record['documents'])} documents, "
        f"{record['shingle_count']} {SHINGLE}-word runs, {len(record['children'])} children's names"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
