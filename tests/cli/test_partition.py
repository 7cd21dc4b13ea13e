"""service.batch.extract_partition: the function the README's Dask/Spark recipe maps over a
corpus; tested on its own and under Dask's local (synchronous and multiprocessing) schedulers."""
from __future__ import annotations

import json

import pytest
from clitools import (
    FX_FIXTURE,
    GERMAN_PLEDGE,
    JAPANESE_PLEDGE,
    api_answer,
    without_timing,
)

from service.batch import extract_partition, extract_record

RECORDS = [
    {"id": "de", "text": GERMAN_PLEDGE, "published_at": "2022-03-03"},
    json.dumps({"id": 2, "text": JAPANESE_PLEDGE}) + "\n",      # a raw JSON line, as read_text gives it
    "{broken\n",
    {"id": "empty", "text": "   "},
    b'{"id": "bytes", "text": "\xff"}',                          # not UTF-8
]


def test_each_record_gives_one_result_in_order(monkeypatch):
    monkeypatch.delenv("FX_RATES_FILE", raising=False)
    out = list(extract_partition(iter(RECORDS)))
    assert [(r["id"], r["ok"]) for r in out] == [("de", True), (2, True), (None, False), ("empty", False),
                                                 (None, False)]
    assert without_timing(out[0]["result"]) == without_timing(api_answer(GERMAN_PLEDGE, "2022-03-03"))
    assert out[1]["result"]["pledges"][0]["amount"]["currency"] == "JPY"
    assert out[2]["error"]["status"] == 400
    assert out[3]["error"]["errors"][0]["pointer"] == "/text"
    assert "UTF-8" in out[4]["error"]["detail"]
    json.dumps(out)  # JSON-ready as it is


def test_partition_is_lazy_and_skips_blank_lines(monkeypatch):
    monkeypatch.delenv("FX_RATES_FILE", raising=False)
    results = extract_partition(["\n", {"id": "a", "text": GERMAN_PLEDGE}, "  "])
    assert next(results)["id"] == "a"
    assert list(results) == []


def test_an_engine_failure_is_that_record_s_error(monkeypatch):
    import service.engine

    def broken(text, published_at=None):
        if "boom" in text:
            raise RuntimeError("boom")
        return original(text, published_at)

    original = service.engine.extract_pledges
    monkeypatch.setattr(service.engine, "extract_pledges", broken)
    first, second = extract_partition([{"id": "x", "text": "boom"}, {"id": "y", "text": GERMAN_PLEDGE}])
    assert (first["ok"], first["error"]["status"]) == (False, 500)
    assert "RuntimeError: boom" in first["error"]["detail"]
    assert second["ok"] is True


def test_fx_from_argument_or_environment(monkeypatch):
    record = {"id": "de", "text": GERMAN_PLEDGE}
    monkeypatch.delenv("FX_RATES_FILE", raising=False)
    assert "fx" not in next(extract_partition([record]))["result"]["pledges"][0]["amount"]
    (out,) = extract_partition([record], fx_rates_file=str(FX_FIXTURE))
    assert out["result"]["pledges"][0]["amount"]["fx"]["usd"] == 110000000  # 100 M EUR x 1.1000
    monkeypatch.setenv("FX_RATES_FILE", str(FX_FIXTURE))
    (out,) = extract_partition([record])
    assert out["result"]["totals_usd"][0]["sum_usd"] == 110000000


def test_extract_record_accepts_one_record():
    assert extract_record({"id": "a", "text": GERMAN_PLEDGE})["ok"] is True


@pytest.mark.parametrize("scheduler", ["synchronous", "processes"])
def test_the_readme_dask_recipe(tmp_path, monkeypatch, scheduler):
    db = pytest.importorskip("dask.bag")
    monkeypatch.delenv("FX_RATES_FILE", raising=False)
    lines = [json.dumps({"id": f"d{i}", "text": GERMAN_PLEDGE if i % 2 else JAPANESE_PLEDGE})
             for i in range(6)] + ["{not json"]
    (tmp_path / "corpus-0.jsonl").write_text("\n".join(lines[:4]) + "\n")
    (tmp_path / "corpus-1.jsonl").write_text("\n".join(lines[4:]) + "\n")

    # As in the README:
    bag = db.read_text(str(tmp_path / "corpus-*.jsonl")).map_partitions(extract_partition)
    bag.map(json.dumps).to_textfiles(str(tmp_path / "out-*.jsonl"), scheduler=scheduler)

    out = [json.loads(line) for name in ("out-0.jsonl", "out-1.jsonl")
           for line in (tmp_path / name).read_text().splitlines()]
    assert [r["id"] for r in out] == [f"d{i}" for i in range(6)] + [None]
    assert [r["ok"] for r in out] == [True] * 6 + [False]
    assert [r["result"]["pledges"][0]["donor"]["code"] for r in out[:6]] == ["JPN", "DEU"] * 3
