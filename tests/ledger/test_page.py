"""/ledger, the server-rendered page: filters, sources with the evidence in <mark>, the donor
chart, escaping, the page's CSP and the API-key rule (the same as /docs)."""
import re
from datetime import date
from decimal import Decimal

import pytest

from service.ledger import page
from tests.conftest import assert_problem, make_app
from tests.ledger.test_summary import ARTICLES

HOSTILE = ("Before. Australia pledged A$5 million in humanitarian aid to Ukraine on Monday, "
           "<script>alert(1)</script> officials said. After.")


def _client(ledger, **config):
    client = make_app(DATABASE_URL=ledger.url, WARM_UP=False, **config).test_client()
    headers = {"Authorization": f"Bearer {config['API_KEYS']}"} if "API_KEYS" in config else {}
    for text, published_at, url in ARTICLES:
        response = client.post("/v1/articles", json={"text": text, "published_at": published_at, "url": url},
                               headers=headers)
        assert response.status_code == 201
    return client


def _pledge_items(html):
    return re.findall(r'<li class="pledge" id="pledge-(\d+)">', html)


def test_lists_every_pledge_with_its_sources_and_marked_evidence(ledger):
    response = _client(ledger).get("/ledger")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert len(_pledge_items(html)) == 4
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    # the A$70 million pledge has two sources: both sentences, each in its own <mark>
    assert ARTICLES[0][0] in marks and ARTICLES[1][0] in marks and len(marks) == 5
    assert '<a href="https://a.test/1" rel="noopener noreferrer nofollow">' in html
    assert "70,000,000 AUD (50,000,000 USD)" in html and "2 sources" in html
    assert "<svg" not in html  # no donor chosen: no chart


@pytest.mark.parametrize("query, expected", [
    ("donor=AUS", 3), ("donor=CAN", 1), ("recipient=MDA", 1), ("category=military", 2),
    ("status=previously_announced", 0), ("donor=AUS&category=military", 1)])
def test_filters(ledger, query, expected):
    html = _client(ledger).get(f"/ledger?{query}").get_data(as_text=True)
    assert len(_pledge_items(html)) == expected
    for name, value in (pair.split("=") for pair in query.split("&")):
        assert re.search(rf'<option value="{value}" selected>', html), (name, value)
    if expected == 0:
        assert "No ledger pledge matches these filters." in html


def test_a_donor_gets_a_chart_per_currency_with_a_dot_per_dated_pledge(ledger):
    html = _client(ledger).get("/ledger?donor=AUS").get_data(as_text=True)
    figures = re.findall(r'<figure class="chart" data-currency="(\w+)">', html)
    assert figures == ["AUD", "USD"]  # the currency with more pledges first
    assert html.count('<circle class="dot"') == 3
    assert "2022-03-04: 30,000,000 AUD (cumulative 100,000,000)" in html


def test_chart_geometry():
    (aud, usd) = page.charts([(date(2022, 3, 1), "70000000", "AUD"), (date(2022, 3, 11), Decimal("30000000"), "AUD"),
                              (None, "1", "AUD"), (date(2022, 3, 5), "5", "USD")])
    pad, width, height = page.CHART_PAD, page.CHART_WIDTH, page.CHART_HEIGHT
    base, inner_h = height - pad, height - 2 * pad
    assert (aud.currency, aud.first, aud.last, aud.total) == ("AUD", "2022-03-01", "2022-03-11", "100,000,000")
    assert [(d.x, d.y) for d in aud.dots] == [(pad, round(base - inner_h * 0.7, 1)), (width - pad, pad)]
    assert aud.path == f"M{pad:.1f},{base}H{pad:.1f}V{round(base - inner_h * 0.7, 1)}H{width - pad:.1f}V{pad:.1f}H{width - pad}"
    # one dated pledge: in the middle, at the top
    assert [(d.x, d.y) for d in usd.dots] == [(width / 2, pad)]


def test_next_page_link_follows_the_cursor(ledger, monkeypatch):
    monkeypatch.setattr(page, "PAGE_SIZE", 3)
    client = _client(ledger)
    html = client.get("/ledger").get_data(as_text=True)
    first = _pledge_items(html)
    (next_url,) = re.findall(r'<a href="([^"]+)" rel="next">', html)
    assert next_url.replace("&amp;", "&") == f"/ledger?cursor={first[-1]}"
    rest = _pledge_items(client.get(next_url.replace("&amp;", "&")).get_data(as_text=True))
    assert len(first) == 3 and len(rest) == 1 and rest[0] not in first


def test_caller_text_is_escaped_and_only_http_urls_become_links(ledger):
    client = _client(ledger, STORE_TEXT=True)
    assert client.post("/v1/articles", json={"text": HOSTILE, "published_at": "2022-03-09",
                                             "url": "javascript:alert(2)"}).status_code == 201
    html = client.get("/ledger?donor=AUS").get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and "javascript:alert(2)" in html  # shown, not linked
    # with STORE_TEXT the sentence is shown in its context, the sentence itself marked
    (source,) = [s for s in re.findall(r'<q>(.*?)</q>', html, re.S) if "A$5 million" in s]
    assert re.search(r'<span class="context">Before\. </span><mark>Australia pledged A\$5 million', source)
    assert page.safe_link("HTTPS://x.test/a") == "HTTPS://x.test/a"
    assert page.safe_link("data:text/html,x") is None and page.safe_link(None) is None


def test_the_page_allows_no_script_and_only_its_own_styles(ledger):
    response = _client(ledger).get("/ledger")
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"style-src 'nonce-([\w-]+)'", csp)[1]
    html = response.get_data(as_text=True)
    assert f'<style nonce="{nonce}">' in html and "default-src 'none'" in csp and "script-src" not in csp
    assert "<script" not in html and "http://" not in html.split("<body>")[0].replace("http://www.w3.org", "")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_forms_empty_choices_are_no_filter(ledger):
    html = _client(ledger).get("/ledger?donor=&recipient=&category=military&status=").get_data(as_text=True)
    assert len(_pledge_items(html)) == 2


def test_a_bad_filter_is_a_422_problem(ledger):
    body = assert_problem(_client(ledger).get("/ledger?category=nonsense"), 422)
    assert body["errors"][0]["pointer"] == "/category"


def test_api_keys_guard_the_page_like_docs(ledger):
    client = _client(ledger, API_KEYS="page-key")
    assert_problem(client.get("/ledger"), 401)
    assert_problem(client.get("/docs"), 401)  # the same rule
    assert client.get("/ledger", headers={"Authorization": "Bearer page-key"}).status_code == 200
