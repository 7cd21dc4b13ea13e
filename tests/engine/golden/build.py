"""Golden output of the engine over every corpus in the repository (issue 13).

Each record is one text's answer serialised exactly as POST /v1/extract writes it
(service.serialize.extraction_to_dict, Decimals as JSON numbers, keys in schema order), minus
the fields that are not the engine's decision: meta.elapsed_ms (timing) and meta.engine_version
(the package version).  tests/engine/test_golden.py asserts byte-identical output.

Regenerate (only when a change of output is intended, e.g. after a data-file or rule change):

    .venv/bin/python -m tests.engine.golden.build --write
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import yaml

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("PLEDGES_SHARED", REPO.parent / "shared"))
GOLDEN = Path(__file__).resolve().parent / "engine_output.jsonl.gz"
DROPPED_META = ("elapsed_ms", "engine_version")


def _yaml_texts(node, path: str) -> Iterator[tuple[str, dict]]:
    """Every mapping with a string `text` in a stage corpus, however it is nested."""
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            yield f"{path}:{node.get('id', '?')}", node
        for key, value in node.items():
            if key != "text":
                yield from _yaml_texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _yaml_texts(value, f"{path}[{i}]" if not isinstance(value, dict) or "id" not in value else path)


def sources() -> dict[str, Path]:
    """corpus name -> file, in a fixed order (the shared eval files only when present)."""
    out: dict[str, Path] = {}
    for p in sorted((REPO / "seeds").glob("*.txt")):
        out[f"seeds/{p.name}"] = p
    for name in ("seed.jsonl", "dev.jsonl"):
        out[f"shared/eval/{name}"] = SHARED / "eval" / name
    for p in sorted((REPO / "tests" / "corpora").glob("*.jsonl")):
        out[f"tests/corpora/{p.name}"] = p
    for p in sorted((REPO / "tests" / "engine" / "corpora").glob("*.yaml")):
        out[f"tests/engine/corpora/{p.name}"] = p
    return out


def documents(corpus: str, path: Path) -> list[tuple[str, str, object]]:
    """(id, text, published_at) of every text in one corpus file."""
    if path.suffix == ".txt":
        return [(corpus, path.read_text(encoding="utf-8"), None)]
    if path.suffix == ".jsonl":
        docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [(f"{corpus}:{d.get('id', i)}", d["text"], d.get("published_at")) for i, d in enumerate(docs)]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(f"{corpus}:{key}", case["text"], case.get("published_at")) for key, case in _yaml_texts(data, "")]


def _number(o):
    if isinstance(o, Decimal):
        from service.api.schemas import json_number
        return json_number(o)
    raise TypeError(type(o).__name__)


def serialise(text: str, published_at) -> str:
    """The engine's answer for one text as the API's JSON (one line)."""
    from service.engine import extract_pledges
    from service.engine.dates import parse_published_at
    from service.serialize import extraction_to_dict
    published = parse_published_at(published_at)
    payload = extraction_to_dict(extract_pledges(text, published), text=text, published_at=published)
    for key in DROPPED_META:
        payload["meta"].pop(key, None)
    return json.dumps(payload, default=_number, ensure_ascii=False, sort_keys=False)


def record(corpus: str, doc_id: str, text: str, published_at) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    head = json.dumps({"corpus": corpus, "id": doc_id, "published_at": published_at, "text_sha256": digest},
                      ensure_ascii=False)
    return head[:-1] + ', "output": ' + serialise(text, published_at) + "}"


def build(corpora: dict[str, Path]) -> dict[str, list[str]]:
    return {corpus: [record(corpus, i, t, p) for i, t, p in documents(corpus, path)]
            for corpus, path in corpora.items() if path.exists()}


def load_golden() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                out.setdefault(json.loads(line)["corpus"], []).append(line)
    return out


def write(records: dict[str, list[str]]) -> None:
    lines = [line for corpus in records for line in records[corpus]]
    # mtime=0: the same records give the same bytes, so an unchanged golden file shows no diff.
    with open(GOLDEN, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))


if __name__ == "__main__":
    if "--write" not in sys.argv:
        sys.exit(__doc__)
    found = build(sources())
    missing = [c for c, p in sources().items() if not p.exists()]
    write(found)
    print(f"wrote {sum(map(len, found.values()))} records from {len(found)} corpora to {GOLDEN}"
          + (f" (absent, not stored: {', '.join(missing)})" if missing else ""))
