"""Swagger UI in a real headless Chromium, served by a live gunicorn on loopback: the
POST /v1/extract operation renders, and no request leaves 127.0.0.1."""
import pytest
from conftest import CHROMEDRIVER, CHROMIUM, assert_stayed_on_loopback, requested_urls

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium not installed: apt-get install chromium chromium-driver (.ci/run does this)")


def test_swagger_ui_renders_extract_offline(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("performance")  # drop what the browser did on its own before our page
    browser.get(live_server.url + "/docs")
    operation = WebDriverWait(browser, 30).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, '.opblock-post [data-path="/v1/extract"]')))
    assert operation.text.replace("\u200b", "") == "/v1/extract"
    assert "pledge-normalizer" in browser.find_element(By.CSS_SELECTOR, ".info .title").text

    urls = requested_urls(browser)
    assert any(url.endswith("/openapi.json") for url in urls), urls
    assert_stayed_on_loopback(browser, urls)
