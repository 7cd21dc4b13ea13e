"""Benchmark inputs: the seed article, the dev passages, and synthetic articles of a given size
assembled from the project's own passages (tests/corpora/passages.jsonl) and sample seeds."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_PATH = REPO / "seeds" / "000_e68e0e074cbc1a52.txt"
SEED_PUBLISHED_AT = "2022-03-01"
PASSAGES_PATH = REPO / "tests" / "corpora" / "passages.jsonl"
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    published_at: str | None = None

    @property
    def nbytes(self) -> int:
        return len(self.text.encode("utf-8"))


def shared_dir() -> Path:
    """../shared next to the repository, or $SHARED / $PLEDGES_SHARED (as in the Makefile and tests)."""
    for name in ("SHARED", "PLEDGES_SHARED"):
        if os.environ.get(name):
            return Path(os.environ[name]).resolve()
    return REPO.parent / "shared"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def seed() -> Doc:
    return Doc("seed", SEED_PATH.read_text(encoding="utf-8"), SEED_PUBLISHED_AT)


def dev_passages(shared: Path | None = None) -> list[Doc]:
    """The dev passages, or [] when ../shared/eval/dev.jsonl is absent."""
    path = (shared or shared_dir()) / "eval" / "dev.jsonl"
    if not path.is_file():
        return []
    return [Doc(row["id"], row["text"], row.get("published_at")) for row in read_jsonl(path)]


def project_texts() -> list[str]:
    """Our own passages plus the sample articles in seeds/, in a fixed order."""
    texts = [row["text"].strip() for row in read_jsonl(PASSAGES_PATH)]
    texts += [p.read_text(encoding="utf-8").strip() for p in sorted(REPO.glob("seeds/*.txt"))]
    return [t for t in texts if t]


_SHORT_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?!\d)(?![.,]\d)")


_MONTH_BEFORE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$")
_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")


def _renumbered(text: str, copy: int) -> str:
    """*text* with every number of 1-3 digits given the copy index as an extra last digit
    ("$500 million" → "$5003 million"); years and days of the month are left alone, so dates
    still read."""
    def renumber(m: re.Match) -> str:
        if _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start()) or _MONTH_AFTER.match(text, m.end()):
            return m.group()
        return m.group() + str(copy % 10)
    return _SHORT_NUMBER.sub(renumber, text)


def synthetic(target_bytes: int, texts: list[str] | None = None, distinct: bool = False) -> Doc:
    """An article of at most *target_bytes* UTF-8 bytes: whole project passages, cycled in a
    fixed order and joined by blank lines, as an archive of wire stories would be.

    The project's passages are ~75 KB, so larger articles repeat them, and repeated pledges
    merge into one. With *distinct*, the numbers of every repeat are changed (_renumbered), so
    each copy's pledges stay separate, as in an archive of different stories."""
    texts = texts or project_texts()
    parts: list[str] = []
    size, i = 0, 0
    sep = len(PARAGRAPH_BREAK)
    while True:
        copy, index = divmod(i, len(texts))
        piece = _renumbered(texts[index], copy) if distinct and copy else texts[index]
        cost = len(piece.encode("utf-8")) + (sep if parts else 0)
        if size + cost > target_bytes:
            break
        parts.append(piece)
        size += cost
        i += 1
        if i > 1_000_000:  # pragma: no cover - only with an empty corpus
            break
    if not parts:  # target smaller than any passage: cut one at a word boundary
        parts = [texts[0].encode("utf-8")[:target_bytes].decode("utf-8", "ignore").rsplit(" ", 1)[0]]
    name = f"synthetic-{target_bytes}" + ("-distinct" if distinct else "")
    return Doc(name, PARAGRAPH_BREAK.join(parts), SEED_PUBLISHED_AT)
