"""The per-request time budget: a runaway engine is interrupted (503 problem+json with
Retry-After), the worker keeps serving, a batch keeps the documents finished in time."""
import time

import pytest
from conftest import assert_problem, make_app

from service.budget import BudgetExceeded, run_with_budget


def spin_engine(seconds):
    """An engine that burns CPU in pure Python (what a thread timeout could not stop)."""
    def extract_pledges(text, published_at=None):
        from conftest import sample_extraction
        if text.startswith("spin"):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                pass
        return sample_extraction(text, published_at)
    return extract_pledges


@pytest.fixture
def spinning(monkeypatch):
    import service.engine
    monkeypatch.setattr(service.engine, "extract_pledges", spin_engine(30))


def test_runaway_request_is_503_within_the_budget(spinning, spec_validator):
    client = make_app(REQUEST_TIME_BUDGET=0.3).test_client()
    response = spec_validator(client.post("/v1/extract", json={"text": "spin forever"}))
    body = assert_problem(response, 503)
    assert response.headers["Retry-After"] == "1"
    assert "REQUEST_TIME_BUDGET (0.3 s)" in body["detail"]
    # A 503 is itself the proof: run to its end, the spin would have answered 200 after 30 s.
    # The same process answers the next request normally.
    assert client.post("/v1/extract", json={"text": "quick"}).status_code == 200


def test_batch_keeps_documents_finished_in_time(spinning, spec_validator):
    client = make_app(REQUEST_TIME_BUDGET=0.3).test_client()
    docs = [{"id": "a", "text": "quick"}, {"id": "b", "text": "spin"}, {"id": "c", "text": "quick too"}]
    response = spec_validator(client.post("/v1/extract/batch", json={"documents": docs}))
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == ["a", "b", "c"]  # nothing dropped, in order
    assert results[0]["ok"] is True
    assert [r["error"]["status"] for r in results[1:]] == [503, 503]  # the rest ran out of time


def test_amounts_endpoint_is_budgeted(monkeypatch):
    from service.api import amounts

    def slow(text):
        while True:
            pass

    monkeypatch.setattr(amounts, "read_amounts", slow)
    client = make_app(REQUEST_TIME_BUDGET=0.2).test_client()
    assert_problem(client.post("/v1/amounts", json={"text": "$5"}), 503)


def test_zero_budget_means_none(monkeypatch):
    import service.engine
    monkeypatch.setattr(service.engine, "extract_pledges", spin_engine(0.3))
    client = make_app(REQUEST_TIME_BUDGET=0).test_client()
    assert client.post("/v1/extract", json={"text": "spin a little"}).status_code == 200


def test_real_engine_on_a_slow_text_is_cut_off():
    """No stand-in: the real engine on a text it is slow on, with a budget far below its time."""
    client = make_app(REQUEST_TIME_BUDGET=0.05, MAX_TEXT_CHARS=400_000).test_client()
    text = "Sweden pledged 40 million crowns to Moldova on Monday. " * 4000
    response = client.post("/v1/extract", json={"text": text})
    assert_problem(response, 503)  # the engine needs far more than 0.05 s for this text


class TestTimeBudget:
    def test_late_alarm_after_the_block_is_harmless(self):
        assert run_with_budget(time.monotonic() + 0.05, sum, [1, 2]) == 3
        time.sleep(0.2)  # the timer was stopped: nothing fires (SIGALRM's default would end the process)

    def test_expired_deadline_raises_before_work(self):
        ran = []
        with pytest.raises(BudgetExceeded):
            run_with_budget(time.monotonic() - 1, ran.append, 1)
        assert not ran

    def test_outside_the_main_thread_checks_after_the_work(self):
        import threading
        outcome = []

        def work():
            try:
                run_with_budget(time.monotonic() + 0.05, time.sleep, 0.1)
            except BudgetExceeded:
                outcome.append("exceeded")

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert outcome == ["exceeded"]


def test_default_budget_ends_before_gunicorn_kills_the_worker():
    """The budget must answer 503 before gunicorn's worker timeout would kill the worker
    (which loses the request and costs a fork)."""
    from conftest import load_gunicorn_conf

    from service.config import Settings
    conf = load_gunicorn_conf()
    assert 0 < Settings.from_env({}).request_time_budget < conf["timeout"]


def test_interrupting_the_real_engine_leaves_it_intact():
    """The alarm may land anywhere in the engine; afterwards it must answer exactly as before
    (its caches are functools.lru_cache, which keeps only completed results)."""
    from service.engine import extract_pledges

    def answer(text):
        result = extract_pledges(text)
        return result.pledges, result.totals  # meta holds timings

    reference = ("Norway pledged 20 million kroner to Malawi on Monday. "
                 "Italy will provide a further €4m in humanitarian aid to Niger.")
    expected = answer(reference)
    assert expected[0]
    slow = "Sweden pledged 40 million crowns to Moldova on Monday. $1m $2m €3m. " * 3000
    for budget in (0.003, 0.01, 0.02, 0.05, 0.08, 0.13):
        with pytest.raises(BudgetExceeded):
            run_with_budget(time.monotonic() + budget, extract_pledges, slow)
        assert answer(reference) == expected


def test_a_backtracking_regex_is_interrupted_mid_search():
    """re checks for signals while matching, so the budget stops even one long C-level search."""
    import re
    quadratic = re.compile(r"[.!?]+\)*(?=\s)")  # on a long run of stops with no space after
    with pytest.raises(BudgetExceeded):  # uninterrupted, this search runs for hours
        run_with_budget(time.monotonic() + 0.2, quadratic.search, "." * 200_000)


def test_a_swallowed_interruption_is_raised_again():
    """An alarm that lands in a gc callback or __del__ is printed and ignored by Python, and a
    broad `except` in the work can eat it too: the alarm repeats until the block ends."""
    swallowed = []
    started = time.monotonic()

    def stubborn():
        while True:
            try:
                while True:
                    pass
            except BudgetExceeded:
                if swallowed:
                    raise
                swallowed.append(time.monotonic() - started)

    with pytest.raises(BudgetExceeded):
        run_with_budget(started + 0.1, stubborn)
    assert len(swallowed) == 1  # and the second alarm ended the endless loop


def test_nothing_fires_after_an_interrupted_run():
    """The timer is stopped in run_with_budget's own frame, where the alarm never raises."""
    for _ in range(20):
        with pytest.raises(BudgetExceeded):
            run_with_budget(time.monotonic() + 0.01, time.sleep, 1)
    time.sleep(0.3)  # a leaked repeating timer would raise here (or end the process)
