"""Swagger UI in a real headless Chromium, served by a live gunicorn on loopback: the
POST /v1/extract operation renders, and no request leaves 127.0.0.1."""
import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium not installed: apt-get install chromium chromium-driver (.ci/run does this)")


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run",
                "--no-default-browser-check", "--metrics-recording-only", "--disable-domain-reliability",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER),
                                              log_output=str(tmp_path / "chromedriver.log")),
                              options=options)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def _requested_urls(driver) -> set[str]:
    import json
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    urls.update(driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"))
    return urls


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

    urls = _requested_urls(browser)
    assert any(url.endswith("/openapi.json") for url in urls), urls
    # Only network schemes can leave the machine (chrome://, data:, blob: are in-browser).
    network = [url for url in urls if urlparse(url).scheme in ("http", "https", "ws", "wss", "ftp")]
    assert network, urls
    outside = [url for url in network if urlparse(url).hostname != "127.0.0.1"]
    assert not outside, f"requests left loopback: {outside}"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"
              and "favicon" not in e["message"]]
    assert not errors, errors
