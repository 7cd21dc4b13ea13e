"""Swagger UI at /docs, offline, and the checked-in spec at /openapi.yaml and /openapi.json.

The UI's assets come from the swagger-ui-bundle package and are served by this blueprint;
nothing is fetched from a CDN (deployments have no internet) and the validator badge, which
would call out to validator.swagger.io, is switched off. A Content-Security-Policy pins the
page to its own origin.
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path

import yaml
from flask import Blueprint, Flask, Response, current_app, json, redirect, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from .spec import generate_spec, render_yaml

_SPEC_KEY = "pledges.spec"
log = logging.getLogger("service.api")

blp = Blueprint("docs", __name__)

_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
        "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'")

_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>pledge-normalizer API</title>
    <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">
    <link rel="stylesheet" type="text/css" href="/docs/index.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/docs/init.js" charset="UTF-8"></script>
  </body>
</html>
"""

_INIT_JS = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
"""


# libyaml's loader when PyYAML has it: the pure-Python one takes ~0.4 s on this spec.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=4)
def _spec_pair(text: str) -> tuple[str, str]:
    return text, json.dumps(yaml.load(text, Loader=_YAML_LOADER))


def load_published_spec(app: Flask) -> None:
    """Read the checked-in openapi.yaml once; an installed copy without it serves the
    generated spec, which the spec-drift test keeps identical to the file."""
    path = app.config.get("OPENAPI_SPEC_PATH")
    if path and Path(path).is_file():
        text = Path(path).read_text(encoding="utf-8")
    else:
        log.info("no openapi.yaml at %r: serving the spec generated from the code", path)
        text = render_yaml(generate_spec(app))
    app.extensions[_SPEC_KEY] = _spec_pair(text)


def _page(body: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Security-Policy"] = _CSP
    return response


@blp.get("/docs")
def swagger_ui():
    return _page(_PAGE, "text/html")


@blp.get("/docs/")
def swagger_ui_slash():
    return redirect("/docs", code=308)


@blp.get("/docs/init.js")
def swagger_ui_init():
    return _page(_INIT_JS, "text/javascript")


@blp.get("/docs/<path:filename>")
def swagger_ui_asset(filename: str):
    response = send_from_directory(swagger_ui_path, filename, max_age=86400)
    response.headers["Content-Security-Policy"] = _CSP
    if response.status_code == 200 and response.mimetype in _COMPRESSIBLE:
        # A streamed file is passed through uncompressed; the assets are small enough to read
        # into memory, so the compression layer can gzip them (the bundle is about 1 MB).
        response.direct_passthrough = False
        response.set_data(response.get_data())
    return response


_COMPRESSIBLE = frozenset({"text/javascript", "application/javascript", "text/css", "application/json", "text/html"})


@blp.get("/openapi.yaml")
def openapi_yaml():
    return Response(current_app.extensions[_SPEC_KEY][0], mimetype="application/yaml")


@blp.get("/openapi.json")
def openapi_json():
    return Response(current_app.extensions[_SPEC_KEY][1], mimetype="application/json")
