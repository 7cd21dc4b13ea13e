"""schemathesis against the committed openapi.yaml, in-process against the WSGI app (real engine).

All default checks (server errors, status codes, content types, headers and bodies against the
schemas, negative data rejected, positive data accepted, ...), a fixed example budget and a
fixed seed with derandomised generation, so CI runs the same cases every time. Any failure is a
contract bug: the spec and the code disagree, or the service answers 5xx.
"""
import json

import hypothesis
import schemathesis
from conftest import SPEC_PATH, make_app

EXAMPLES_PER_OPERATION = 100
SEED = 20260101
# The in-process client does not undo Content-Encoding: ask for the body as it is (compression
# has its own test in tests/api/test_compression_cors.py).
IDENTITY = {"Accept-Encoding": "identity"}



@schemathesis.serializer("application/x-ndjson")
def one_ndjson_line(ctx, value):
    """The spec gives the schema of one NDJSON line; the generated value is sent as that line."""
    return (json.dumps(value) + "\n").encode("utf-8")


schema = schemathesis.openapi.from_path(str(SPEC_PATH))
schema.app = make_app()


@schema.parametrize()
@hypothesis.seed(SEED)
@hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
                     suppress_health_check=list(hypothesis.HealthCheck), print_blob=True)
def test_api_conforms_to_openapi_yaml(case):
    case.call_and_validate(headers=IDENTITY)


# The same contract with API_KEYS set and the key sent on every request (the 401 answers
# themselves are checked in test_security.py).
AUTH_KEY = "schemathesis-key"
locked_schema = schemathesis.openapi.from_path(str(SPEC_PATH))
locked_schema.app = make_app(API_KEYS=AUTH_KEY)


@locked_schema.parametrize()
@hypothesis.seed(SEED)
@hypothesis.settings(max_examples=25, derandomize=True, deadline=None, database=None,
                     suppress_health_check=list(hypothesis.HealthCheck), print_blob=True)
def test_api_with_keys_conforms_to_openapi_yaml(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {AUTH_KEY}", **IDENTITY})
