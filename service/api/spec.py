"""The OpenAPI document: generated from the code (flask-smorest), committed as openapi.yaml.

    make openapi          # = python -m service.openapi --write openapi.yaml

tests/api/test_spec.py fails when the committed file differs from what the code generates.
"""
from __future__ import annotations

import sys

import yaml
from flask import Flask

_TOP_LEVEL_ORDER = ("openapi", "info", "tags", "paths", "components")


def generate_spec(app: Flask) -> dict:
    """The spec as flask-smorest builds it, tidied for reading: top-level keys in the usual
    order, responses by status code, no unused pagination schema."""
    spec = app.extensions["pledges.api"].spec.to_dict()
    components = spec.setdefault("components", {})
    components.get("schemas", {}).pop("PaginationMetadata", None)
    _add_request_id(spec, components)
    _strict_nullable_refs(spec)
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"] = dict(sorted(operation["responses"].items()))
    return {key: spec[key] for key in _TOP_LEVEL_ORDER if key in spec} | {
        key: value for key, value in spec.items() if key not in _TOP_LEVEL_ORDER}


def _strict_nullable_refs(node) -> None:
    """apispec writes a nullable nested object as anyOf [$ref, {type: object, nullable: true}],
    whose second branch accepts any object at all, so a malformed recipient or fx would pass
    every validator. The second branch is narrowed to null alone."""
    if isinstance(node, dict):
        branches = node.get("anyOf")
        if isinstance(branches, list) and len(branches) == 2 and "$ref" in branches[0] \
                and branches[1] == {"type": "object", "nullable": True}:
            branches[1] = {"type": "object", "nullable": True, "enum": [None],
                           "description": "null: there is none"}
        for value in node.values():
            _strict_nullable_refs(value)
    elif isinstance(node, list):
        for value in node:
            _strict_nullable_refs(value)


_REQUEST_ID = {
    "description": "Correlates the request with the service's logs: the caller's value when it is "
                   "1-128 characters of [A-Za-z0-9._:@+=-], else a new one",
    "schema": {"type": "string", "maxLength": 128, "pattern": "^[A-Za-z0-9._:@+=-]{1,128}$"},
}


def _add_request_id(spec: dict, components: dict) -> None:
    """X-Request-ID: an optional request header on every operation, a header of every response."""
    # Any value is accepted; one that does not fit the response pattern is replaced, not refused.
    components.setdefault("parameters", {})["RequestId"] = {
        "in": "header", "name": "X-Request-ID", "required": False,
        "description": _REQUEST_ID["description"], "schema": {"type": "string"}}
    components.setdefault("headers", {})["RequestId"] = _REQUEST_ID
    header = {"X-Request-ID": {"$ref": "#/components/headers/RequestId"}}
    responses = list(components.get("responses", {}).values())
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):  # path-level parameters ({id} in the path)
                continue
            operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/RequestId"})
            responses += [r for r in operation.get("responses", {}).values() if "$ref" not in r]
    for response in responses:
        response["headers"] = {**response.get("headers", {}), **header}


class _Dumper(yaml.SafeDumper):
    """No &anchors/*aliases for repeated examples; multi-line text as | blocks."""

    def ignore_aliases(self, data):
        return True


def _str(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def render_yaml(spec: dict) -> str:
    return yaml.dump(spec, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":      # python -m service.api.spec: the command is service.openapi's
    from service.openapi import main
    sys.exit(main())
