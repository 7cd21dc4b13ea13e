"""Optional API keys, security headers on every response, logs without the submitted text."""
import logging

import pytest
from conftest import assert_problem, make_app

from service.api import security

KEYS = "k3y-alpha,  k3y-beta ,"  # blanks and stray commas are ignored


@pytest.fixture
def locked(fake_engine):
    return make_app(API_KEYS=KEYS).test_client()


def _bearer(key):
    return {"Authorization": f"Bearer {key}"}


class TestApiKeys:
    @pytest.mark.parametrize("path", ["/livez", "/healthz", "/readyz"])
    def test_probes_need_no_key(self, locked, path):
        assert locked.get(path).status_code == 200

    @pytest.mark.parametrize("method, path", [("post", "/v1/extract"), ("post", "/v1/extract/batch"),
                                              ("post", "/v1/amounts"), ("get", "/openapi.yaml"),
                                              ("get", "/openapi.json"), ("get", "/docs"),
                                              ("get", "/metrics"), ("get", "/no/such/path"),
                                              ("get", "/v1/extract")])  # wrong method: still 401 first
    def test_every_other_endpoint_needs_a_key(self, locked, method, path):
        response = getattr(locked, method)(path, json={"text": "hello"})
        body = assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="pledge-normalizer"'
        assert "Authorization: Bearer" in body["detail"]

    @pytest.mark.parametrize("key", ["k3y-alpha", "k3y-beta"])
    def test_each_configured_key_works(self, locked, key):
        assert locked.post("/v1/extract", json={"text": "hello"}, headers=_bearer(key)).status_code == 200

    @pytest.mark.parametrize("header", ["Bearer k3y-alph", "Bearer k3y-alpha2", "Bearer ", "Basic k3y-alpha",
                                        "k3y-alpha", "Bearer K3Y-ALPHA", "Bearer k3y-alpha,k3y-beta", "Bearer \u00e9"])
    def test_wrong_keys_are_401_invalid_token(self, locked, header):
        response = locked.post("/v1/extract", json={"text": "hello"}, headers={"Authorization": header})
        assert_problem(response, 401)
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]

    def test_scheme_is_case_insensitive(self, locked):
        assert locked.post("/v1/extract", json={"text": "x"}, headers={"Authorization": "bearer k3y-beta"}).status_code == 200

    def test_auth_comes_before_body_checks(self, locked):
        # An anonymous caller learns nothing about content type or size rules.
        assert locked.post("/v1/extract", data="x", content_type="text/plain").status_code == 401

    def test_no_keys_means_open(self, client, fake_engine):
        assert client.post("/v1/extract", json={"text": "hello"}).status_code == 200

    def test_keys_never_reach_logs_or_bodies(self, locked, caplog):
        caplog.set_level(logging.DEBUG)
        for header in ("Bearer k3y-alpha", "Bearer k3y-wrong"):
            response = locked.post("/v1/extract", json={"text": "hello"}, headers={"Authorization": header})
            assert b"k3y" not in response.get_data()
        assert "k3y" not in caplog.text

    def test_settings_repr_hides_keys(self):
        from service.config import Settings
        settings = Settings.from_env({"API_KEYS": KEYS})
        assert settings.api_keys == ("k3y-alpha", "k3y-beta")
        assert "k3y" not in repr(settings)

    def test_comparison_is_by_digest_over_every_key(self, monkeypatch):
        """Constant time: hmac.compare_digest on equal-length digests, called for every key
        even after a match (no early exit that would tell which key matched)."""
        calls = []
        real = security.hmac.compare_digest

        def spy(a, b):
            calls.append((len(a), len(b)))
            return real(a, b)

        monkeypatch.setattr(security.hmac, "compare_digest", spy)
        digests = [security._digest(k) for k in ("one", "two", "three")]
        assert security.key_matches("one", digests)
        assert not security.key_matches("a much longer wrong key", digests)
        assert calls == [(32, 32)] * 6


class TestHeaders:
    @pytest.mark.parametrize("method, path", [("get", "/livez"), ("get", "/readyz"), ("post", "/v1/extract"),
                                              ("post", "/v1/amounts"), ("get", "/openapi.json"), ("get", "/docs"),
                                              ("get", "/nowhere"), ("post", "/v1/extract/batch")])
    def test_nosniff_everywhere(self, client, method, path):
        response = getattr(client, method)(path, json={"text": "Japan pledged $5 million."})
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"

    @pytest.mark.parametrize("path, payload", [("/v1/extract", {"text": "Japan pledged $5 million to Laos."}),
                                               ("/v1/amounts", {"text": "$5 million"}),
                                               ("/v1/extract/batch", {"documents": [{"id": "a", "text": "x"}]}),
                                               ("/v1/extract", {"text": ""})])
    def test_results_and_errors_are_never_cached(self, client, path, payload):
        response = client.post(path, json=payload)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")

    def test_docs_page_has_a_strict_csp_that_allows_only_its_own_assets(self, client):
        csp = client.get("/docs").headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"  # no inline or remote scripts
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        assert "http" not in csp and "*" not in csp
        assert "unsafe" not in csp  # no inline scripts or styles: Swagger UI needs neither

    def test_static_docs_assets_stay_cacheable(self, client):
        response = client.get("/docs/swagger-ui-bundle.js")
        assert response.status_code == 200 and "max-age" in response.headers["Cache-Control"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


SECRET = "Zanzibar-4417 pledged a confidential 9 million quatloos"


class TestLogsNeverQuoteText:
    def test_engine_failure_is_logged_without_the_text(self, client, monkeypatch, caplog):
        import service.engine

        def broken(text, published_at=None):
            raise ValueError(f"cannot read {text!r}")  # a message that quotes the input

        monkeypatch.setattr(service.engine, "extract_pledges", broken)
        caplog.set_level(logging.DEBUG)
        handler = logging.StreamHandler(stream := __import__("io").StringIO())
        handler.setFormatter(logging.Formatter("%(message)s"))
        logging.getLogger().addHandler(handler)
        try:
            response = client.post("/v1/extract", json={"text": SECRET}, headers={"X-Request-ID": "rid-77"})
            batch = client.post("/v1/extract/batch", json={"documents": [{"id": "d1", "text": SECRET}]})
        finally:
            logging.getLogger().removeHandler(handler)
        assert response.status_code == 500 and batch.get_json()["results"][0]["error"]["status"] == 500
        written = stream.getvalue()
        assert "rid-77" in written and "ValueError" in written and "Traceback" in written
        assert "Zanzibar" not in written and "quatloos" not in written
        assert "Zanzibar" not in caplog.text

    def test_withheld_keeps_the_frames(self):
        try:
            int("Zanzibar")
        except ValueError as err:
            etype, exc, tb = security.withheld((type(err), err, err.__traceback__))
        assert etype.__name__ == "ValueError" and "Zanzibar" not in str(exc) and tb is not None
