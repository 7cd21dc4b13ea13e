"""Every status a route really answers is in openapi.yaml, for that operation, with the media
type it is answered in (problem+json for every error but /readyz's 503).

The statuses are not listed here by hand: the test walks the app's url_map and, for each
route and method, provokes what a client can provoke without breaking the service (a wrong
method, no API key, a wrong Content-Type, an oversized or malformed body, an invalid request,
an id that does not exist), then looks each answer up in the spec. 500 and 503 cannot be
provoked this way; the operations that run the engine or the ledger document them, checked in
test_spec.py and test_limits.py.
"""
import re

import pytest
import yaml
from conftest import SPEC_PATH, make_app

PROBLEM = "application/problem+json"
BODY_METHODS = {"POST", "PUT", "PATCH"}
# Routes that are not API operations: the Swagger UI page and its assets, the spec itself.
# Pages for people (Swagger UI, the /ledger page) and the spec files are not API operations.
NOT_OPERATIONS = {"/docs", "/docs/", "/docs/init.js", "/docs/<path:filename>", "/openapi.yaml", "/openapi.json", "/ledger",
                  "/static/<path:filename>"}
MISSING_ID = "987654321"


@pytest.fixture(scope="module")
def spec():
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    database = f"sqlite:///{tmp_path_factory.mktemp('ledger') / 'ledger.db'}"
    common = {"WARM_UP": False, "DATABASE_URL": database}
    return {"plain": make_app(**common), "locked": make_app(API_KEYS="status-key", **common),
            "small": make_app(MAX_BODY_BYTES=64, **common)}


def openapi_path(rule) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)


def concrete_path(rule) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", MISSING_ID, rule.rule)


def resolve(spec, response: dict) -> dict:
    ref = response.get("$ref")
    return spec["components"]["responses"][ref.rsplit("/", 1)[-1]] if ref else response


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule not in NOT_OPERATIONS]


def provoke(apps, spec, rule, method) -> list:
    """(status, mimetype, what was sent) of each answer this route gave to what was sent."""
    path = concrete_path(rule)
    plain, locked, small = (apps[k].test_client() for k in ("plain", "locked", "small"))
    answers = []

    def record(what, response):
        answers.append((response.status_code, response.mimetype, what))
        response.close()

    send = getattr(plain, method.lower())
    record("as it is", send(path, json={}) if method in BODY_METHODS else send(path))
    record("no API key", getattr(locked, method.lower())(path))
    operation = spec["paths"].get(openapi_path(rule), {}).get(method.lower(), {})
    query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    if query:
        record("invalid query", send(path + "?" + "&".join(f"{p['name']}=%00not-valid%00" for p in query)))
    if method in BODY_METHODS:
        record("wrong media type", send(path, data="<x/>", content_type="application/xml"))
        record("malformed JSON", send(path, data="{", content_type="application/json"))
        record("invalid JSON", send(path, json={"text": 5, "documents": 5}))
        record("body too large", getattr(small, method.lower())(path, json={"text": "x" * 200}))
    return answers


def test_every_route_is_an_operation_of_the_spec(apps, spec):
    app = apps["plain"]
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops
                  if method in ("get", "post", "put", "patch", "delete")}
    served = {(openapi_path(rule), method) for rule in routes(app) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented


def test_every_status_a_route_answers_is_documented(apps, spec):
    app = apps["plain"]
    seen, missing = set(), []
    for rule in routes(app):
        path = openapi_path(rule)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        # A method the route does not have (405) is answered on the path: every operation lists it.
        other = next(m for m in ("PATCH", "PUT", "DELETE", "POST", "GET") if m not in rule.methods)
        wrong_method = getattr(app.test_client(), other.lower())(concrete_path(rule))
        for method in methods:
            answers = provoke(apps, spec, rule, method)
            answers.append((wrong_method.status_code, wrong_method.mimetype, f"{other} instead"))
            responses = spec["paths"][path][method.lower()]["responses"]
            for status, mimetype, what in answers:
                seen.add(status)
                documented = responses.get(str(status))
                if documented is None:
                    missing.append(f"{method} {path}: {status} ({what}) is not in the spec")
                    continue
                content = resolve(spec, documented).get("content", {})
                if status >= 400 and mimetype not in content:
                    missing.append(f"{method} {path}: {status} ({what}) is {mimetype}, the spec says {list(content)}")
    assert missing == []
    # the probes did provoke the statuses this test is about
    assert {401, 404, 405, 413, 415, 422, 400} <= seen


def test_the_error_statuses_are_problem_json_in_the_spec(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                if int(status) >= 400 and not (path == "/readyz" and status == "503"):
                    assert list(resolve(spec, response)["content"]) == [PROBLEM], (method, path, status)


def test_method_not_allowed_carries_allow(spec, client):
    response = spec["components"]["responses"]["MethodNotAllowed"]
    assert response["headers"]["Allow"]["required"] is True
    assert client.get("/v1/extract").headers["Allow"]


def test_qualifier_is_one_enum(spec):
    """One Qualifier component, referenced by every amount schema, instead of an enum per schema
    (which generated clients turned into three enum types)."""
    schemas = spec["components"]["schemas"]
    text = yaml.safe_dump(spec)
    assert schemas["Qualifier"]["enum"] == ["approximate", "lower_bound", "upper_bound", "range"]
    assert text.count("- lower_bound") == 1
    users = sorted(name for name, schema in schemas.items() if "qualifier" in schema.get("properties", {}))
    assert users == ["Amount", "EquivalentAmount", "PledgeAmount"]
    for name in users:
        branches = schemas[name]["properties"]["qualifier"]["anyOf"]
        assert branches[0] == {"$ref": "#/components/schemas/Qualifier"}
        assert branches[1]["enum"] == [None]


@pytest.mark.parametrize("value, valid", [(None, True), ("approximate", True), ("range", True),
                                          ("roughly", False), (3, False)])
def test_the_qualifier_schema_accepts_exactly_the_values(spec, value, valid):
    from openapi_schema_validator import OAS30Validator
    schemas = spec["components"]["schemas"]
    validator = OAS30Validator({**schemas["PledgeAmount"]["properties"]["qualifier"], "components": {"schemas": schemas}})
    assert validator.is_valid(value) is valid
