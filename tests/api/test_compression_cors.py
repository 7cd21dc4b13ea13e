"""Responses are compressed for clients that accept it; CORS headers only for configured origins."""
import gzip
import json

from conftest import make_app

TEXT = "Japan pledged $5 million to Nepal on Monday. " * 40


def test_large_answers_are_gzipped_when_the_client_accepts_it():
    client = make_app().test_client()
    response = client.post("/v1/extract", json={"text": TEXT}, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers.get("Vary", "")
    assert json.loads(gzip.decompress(response.get_data()))["meta"]["text_length"] == len(TEXT)


def test_no_compression_without_accept_encoding():
    response = make_app().test_client().post("/v1/extract", json={"text": TEXT})
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["meta"]["text_length"] == len(TEXT)


def test_the_swagger_bundle_is_compressed():
    client = make_app().test_client()
    page = client.get("/docs")
    assert page.status_code == 200
    scripts = [part.split('"')[0] for part in page.get_data(as_text=True).split('src="')[1:]]
    bundle = next(s for s in scripts if "bundle" in s)
    asset = client.get(bundle, headers={"Accept-Encoding": "gzip"})
    assert asset.status_code == 200 and asset.headers["Content-Encoding"] == "gzip"


def test_cors_is_off_by_default():
    response = make_app().test_client().post("/v1/extract", json={"text": "Japan pledged $5 million."},
                                             headers={"Origin": "https://tracker.example.org"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_for_configured_origins_only():
    client = make_app(CORS_ORIGINS=("https://tracker.example.org",)).test_client()
    ok = client.post("/v1/extract", json={"text": "Japan pledged $5 million."},
                     headers={"Origin": "https://tracker.example.org"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://tracker.example.org"
    assert "X-Request-ID" in ok.headers["Access-Control-Expose-Headers"]
    other = client.post("/v1/extract", json={"text": "Japan pledged $5 million."},
                        headers={"Origin": "https://elsewhere.example.com"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = client.options("/v1/extract", headers={"Origin": "https://tracker.example.org",
                                                       "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code in (200, 204) and preflight.headers["Access-Control-Allow-Origin"] == "https://tracker.example.org"


def test_a_preflight_needs_no_key_but_the_request_does():
    client = make_app(CORS_ORIGINS=("https://tracker.example.org",), API_KEYS=("k1",)).test_client()
    preflight = client.options("/v1/extract", headers={"Origin": "https://tracker.example.org",
                                                       "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": "Authorization, Content-Type"})
    assert preflight.status_code in (200, 204)
    assert client.post("/v1/extract", json={"text": "Japan pledged $5 million."},
                       headers={"Origin": "https://tracker.example.org"}).status_code == 401
    assert client.post("/v1/extract", json={"text": "Japan pledged $5 million."},
                       headers={"Origin": "https://tracker.example.org", "Authorization": "Bearer k1"}).status_code == 200
