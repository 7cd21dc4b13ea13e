"""Benchmark inputs: the seed article, the dev passages, and synthetic articles of a given size
assembled from the project's own passages (tests/corpora/passages.jsonl) and sample seeds."""
from __future__ import annotations

import json
import os
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


def synthetic(target_bytes: int, texts: list[str] | None = None) -> Doc:
    """An article of at most *target_bytes* UTF-8 bytes: whole project passages, cycled in a
    fixed order and joined by blank lines, as an archive of wire stories would be."""
    texts = texts or project_texts()
    parts: list[str] = []
    size, i = 0, 0
    sep = len(PARAGRAPH_BREAK)
    while True:
        piece = texts[i % len(texts)]
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
    return Doc(f"synthetic-{target_bytes}", PARAGRAPH_BREAK.join(parts), SEED_PUBLISHED_AT)
