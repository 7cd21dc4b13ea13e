"""The spaCy peer (../shared/peers/spacy_baseline.py) timed in its own venv, when that venv exists.

Venv: $PEER_VENV, else ../.peer-venv next to the repository (set up as in ../shared/peers/README.md:
`python3 -m venv ../.peer-venv && ../.peer-venv/bin/pip install -r ../shared/peers/requirements.txt`).
"""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from . import corpus

WORKER = Path(__file__).resolve().with_name("peer_worker.py")


def venv_python() -> Path | None:
    root = Path(os.environ["PEER_VENV"]) if os.environ.get("PEER_VENV") else corpus.REPO.parent / ".peer-venv"
    python = root / "bin" / "python"
    return python if python.exists() else None


def peer_module(shared: Path | None = None) -> Path:
    return (shared or corpus.shared_dir()) / "peers" / "spacy_baseline.py"


def skip_reason(shared: Path | None = None) -> str | None:
    """Why the peer cannot be timed here, or None when it can."""
    if venv_python() is None:
        where = os.environ.get("PEER_VENV") or str(corpus.REPO.parent / ".peer-venv")
        return (f"peer venv not found at {where} (set PEER_VENV, or create it: python3 -m venv "
                f"{where} && {where}/bin/pip install -r {corpus.shared_dir() / 'peers' / 'requirements.txt'})")
    if not peer_module(shared).is_file():
        return f"peer module not found: {peer_module(shared)}"
    return None


def run(docs: Sequence[corpus.Doc], runs: dict, timeout: float = 600.0) -> dict:
    """Per-document peer timings (see peer_worker.py); raises on a peer failure."""
    payload = json.dumps([{"id": d.id, "text": d.text, "published_at": d.published_at} for d in docs])
    out = subprocess.run([str(venv_python()), str(WORKER), str(peer_module()), json.dumps(runs)],
                         input=payload, capture_output=True, text=True, timeout=timeout, cwd=corpus.REPO, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"peer worker failed ({out.returncode}): {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout)
