"""/ledger in a real headless Chromium against a live gunicorn (as tests/api/test_browser.py
tests /docs): the filters work through the form, the evidence is highlighted, the donor chart
renders, the page's own styles apply under its CSP, and no request leaves 127.0.0.1."""
import json
import urllib.request

import pytest

from service.ledger.db import Ledger
from tests.conftest import (CHROMEDRIVER, CHROMIUM, assert_stayed_on_loopback, requested_urls, start_gunicorn,
                            stop_gunicorn)
from tests.ledger.test_summary import ARTICLES

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium not installed: apt-get install chromium chromium-driver (.ci/run does this)")


@pytest.fixture
def ledger_server(tmp_path):
    # SQLite only: the page's queries run on PostgreSQL too in test_page.py (test client)
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    Ledger(url).engine.dispose()  # migrated before the server starts
    server = start_gunicorn(tmp_path, DATABASE_URL=url)
    try:
        for text, published_at, url in ARTICLES:
            request = urllib.request.Request(server.url + "/v1/articles", method="POST",
                                             headers={"Content-Type": "application/json"},
                                             data=json.dumps({"text": text, "published_at": published_at,
                                                              "url": url}).encode())
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 201
        yield server
    finally:
        stop_gunicorn(server)


def test_filter_read_and_chart_in_chromium(browser, ledger_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get_log("performance")
    browser.get(ledger_server.url + "/ledger")
    wait = WebDriverWait(browser, 30)
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "li.pledge")))
    assert len(browser.find_elements(By.CSS_SELECTOR, "li.pledge")) == 4
    mark = browser.find_element(By.CSS_SELECTOR, "li.pledge mark")
    assert mark.text == ARTICLES[0][0]
    # the page's stylesheet ran (its nonce matched the CSP): the highlight has the page's colour
    assert mark.value_of_css_property("background-color") == "rgba(255, 241, 168, 1)"
    assert not browser.find_elements(By.CSS_SELECTOR, "svg")

    # filter through the form, as a person would
    def submit(**choices):
        for name, value in choices.items():
            Select(browser.find_element(By.ID, name)).select_by_value(value)
        old_page = browser.find_element(By.TAG_NAME, "html")
        browser.find_element(By.ID, "apply").click()
        wait.until(EC.staleness_of(old_page))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.filters")))

    submit(category="military")
    assert "category=military" in browser.current_url
    headlines = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "li.pledge .headline")]
    assert len(headlines) == 2 and all("Ukraine" in h for h in headlines), headlines

    submit(category="", donor="AUS")
    figures = browser.find_elements(By.CSS_SELECTOR, "figure.chart")
    assert [f.get_attribute("data-currency") for f in figures] == ["AUD", "USD"]
    svg = figures[0].find_element(By.CSS_SELECTOR, "svg")
    assert svg.size["width"] > 300 and svg.size["height"] > 100  # rendered, not an empty box
    assert len(figures[0].find_elements(By.CSS_SELECTOR, "circle.dot")) == 2
    assert len(browser.find_elements(By.CSS_SELECTOR, "li.pledge")) == 3

    assert_stayed_on_loopback(browser, requested_urls(browser))
