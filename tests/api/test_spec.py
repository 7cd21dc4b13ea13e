"""openapi.yaml: valid OpenAPI 3.0.3, identical to what the code generates, complete."""
import pytest
import yaml
from conftest import SPEC_PATH, make_app
from openapi_spec_validator import validate

from service.api.spec import generate_spec, render_yaml

JSON_ENDPOINTS = [("/v1/extract", "post"), ("/v1/extract/batch", "post"), ("/v1/amounts", "post")]


@pytest.fixture(scope="module")
def committed():
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def test_committed_spec_matches_the_code():
    generated = render_yaml(generate_spec(make_app(WARM_UP=False)))
    assert SPEC_PATH.read_text(encoding="utf-8") == generated, (
        "openapi.yaml is out of date: run `make openapi` and commit it")


def test_spec_is_valid_openapi_3_0_3(committed):
    assert committed["openapi"] == "3.0.3"  # swagger-ui-bundle 4.15 renders 3.0, not 3.1
    validate(committed)


@pytest.mark.parametrize("path, method", JSON_ENDPOINTS)
def test_json_endpoints_document_every_error(committed, path, method):
    responses = committed["paths"][path][method]["responses"]
    assert {"200", "400", "413", "415", "422", "500"} <= set(responses)
    for status in ("400", "413", "415", "422", "500"):
        ref = responses[status]["$ref"].rsplit("/", 1)[-1]
        content = committed["components"]["responses"][ref]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")


@pytest.mark.parametrize("path, method", JSON_ENDPOINTS)
def test_json_endpoints_carry_examples(committed, path, method):
    operation = committed["paths"][path][method]
    assert operation["requestBody"]["content"]["application/json"]["example"]
    assert operation["responses"]["200"]["content"]["application/json"]["example"]


def test_examples_come_from_the_seed_article(committed):
    seed = (SPEC_PATH.parent / "seeds" / "000_e68e0e074cbc1a52.txt").read_text(encoding="utf-8")
    example = committed["paths"]["/v1/extract"]["post"]["requestBody"]["content"]["application/json"]["example"]
    assert example["text"].rstrip(".") in seed


def test_response_examples_validate_against_their_schemas(committed):
    """The examples are what a client would see: they must satisfy the schemas they illustrate."""
    import json

    from openapi_core import OpenAPI
    from openapi_core.testing import MockRequest, MockResponse
    openapi = OpenAPI.from_file_path(str(SPEC_PATH))
    for path, method in JSON_ENDPOINTS:
        example = committed["paths"][path][method]["responses"]["200"]["content"]["application/json"]["example"]
        openapi.validate_response(MockRequest("http://localhost", method, path),
                                  MockResponse(json.dumps(example).encode(), status_code=200))


def test_enums_match_the_contract(committed):
    pledge = committed["components"]["schemas"]["Pledge"]["properties"]
    assert pledge["category"]["enum"] == ["military_lethal", "military_non_lethal", "military", "humanitarian",
                                          "financial", "development", "unspecified"]
    assert pledge["status"]["enum"] == ["new", "previously_announced", "total"]
    assert pledge["instrument"]["enum"] == ["grant", "loan", "guarantee", "in_kind", "unspecified"]
    assert committed["components"]["schemas"]["PledgeAmount"]["properties"]["value"]["type"] == "number"


def test_a_malformed_nested_object_is_invalid_and_null_is_valid():
    """A nullable reference (recipient, fx, equivalent) accepts null or the object it names,
    never an arbitrary object."""
    from openapi_schema_validator import OAS30Validator
    schemas = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))["components"]["schemas"]
    recipient = schemas["Pledge"]["properties"]["recipient"]
    validator = OAS30Validator({**recipient, "components": {"schemas": schemas}})
    assert validator.is_valid(None)
    assert validator.is_valid({"name": "Ukraine", "code": "UKR", "type": "country"})
    assert not validator.is_valid({"whatever": 1})
    assert not validator.is_valid({"name": "Ukraine", "code": 5, "type": "country"})
