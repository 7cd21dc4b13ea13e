"""/docs (Swagger UI from the swagger-ui-bundle package) and the served spec."""
import re

import yaml
from conftest import SPEC_PATH


def test_docs_page_loads_only_local_assets(client):
    response = client.get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(url.startswith("/docs/") for url in urls), urls
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_every_asset_the_page_needs_is_served(client):
    html = client.get("/docs").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.get_data()) > 100, url


def test_initializer_reads_our_spec_without_the_online_validator(client):
    js = client.get("/docs/init.js").get_data(as_text=True)
    assert 'url: "/openapi.json"' in js
    assert "validatorUrl: null" in js
    assert "http" not in js  # no absolute URL anywhere


def test_bundle_has_no_cdn_reference_in_what_we_serve(client):
    html = client.get("/docs").get_data(as_text=True) + client.get("/docs/init.js").get_data(as_text=True)
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_trailing_slash_redirects(client):
    response = client.get("/docs/")
    assert response.status_code == 308 and response.headers["Location"].endswith("/docs")


def test_asset_paths_cannot_escape_the_bundle(client):
    assert client.get("/docs/../../service/app.py").status_code == 404
    assert client.get("/docs/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_openapi_yaml_is_the_committed_file(client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    assert response.get_data(as_text=True) == SPEC_PATH.read_text(encoding="utf-8")


def test_openapi_json_is_the_same_document(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def test_without_the_file_the_generated_spec_is_served(tmp_path):
    from conftest import make_app
    client = make_app(OPENAPI_SPEC_PATH=str(tmp_path / "missing.yaml"), WARM_UP=False).test_client()
    assert client.get("/openapi.json").get_json() == yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
