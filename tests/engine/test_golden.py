"""Golden output: the engine's full JSON answer on every corpus of the repository is byte-identical
to tests/engine/golden/engine_output.jsonl.gz (written by tests/engine/golden/build.py).

It guards refactors of the engine (issue 13).  When a change of output is intended (a new rule,
a data-file edit, a new corpus case), regenerate the file and review the diff of the decoded
records:  .venv/bin/python -m tests.engine.golden.build --write
"""
from __future__ import annotations

import json

import pytest

from tests.engine.golden import build

CORPORA = build.sources()
REGENERATE = "(intended? regenerate: .venv/bin/python -m tests.engine.golden.build --write)"


@pytest.fixture(scope="module")
def golden():
    return build.load_golden()


@pytest.mark.parametrize("corpus", list(CORPORA))
def test_engine_output_is_byte_identical(corpus, golden):
    path = CORPORA[corpus]
    if not path.exists():
        pytest.skip(f"{path} is absent on this machine; its golden records are not checked")
    expected = golden.get(corpus)
    assert expected is not None, f"no golden records for {corpus} {REGENERATE}"
    got = build.build({corpus: path})[corpus]
    assert len(got) == len(expected), f"{corpus}: {len(got)} texts, golden has {len(expected)} {REGENERATE}"
    for new, old in zip(got, expected):
        if new != old:
            a, b = json.loads(new), json.loads(old)
            assert a == b, f"{a['id']}: output differs from the golden record {REGENERATE}"
            assert new == old, f"{a['id']}: same values, different bytes (key order or number form)"
