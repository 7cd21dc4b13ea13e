"""Limits (each with its own problem+json; exactly at the limit succeeds) and body encodings."""
import json

import pytest
from conftest import assert_problem, make_app


def _post(client, path, raw: bytes):
    return client.post(path, data=raw, content_type="application/json")


def _body_of_size(size: int) -> bytes:
    """A valid /v1/extract body of exactly *size* bytes."""
    skeleton = b'{"text": "x"}'
    return skeleton.replace(b'"x"', b'"' + b"x" * (size - len(skeleton) + 1) + b'"')


class TestBodySize:
    def test_exactly_the_limit_succeeds_one_more_byte_is_413(self, fake_engine, spec_validator):
        client = make_app(MAX_BODY_BYTES=4096).test_client()
        body = _body_of_size(4096)
        assert len(body) == 4096
        assert spec_validator(_post(client, "/v1/extract", body)).status_code == 200
        problem = assert_problem(spec_validator(_post(client, "/v1/extract", _body_of_size(4097))), 413)
        assert "4096 bytes" in problem["detail"]


class TestTextLength:
    def test_exactly_max_text_chars_succeeds(self, fake_engine):
        client = make_app(MAX_TEXT_CHARS=50).test_client()
        assert client.post("/v1/extract", json={"text": "é" * 50}).status_code == 200  # characters, not bytes
        body = assert_problem(client.post("/v1/extract", json={"text": "é" * 51}), 422)
        assert body["errors"][0]["pointer"] == "/text" and "MAX_TEXT_CHARS (50)" in body["errors"][0]["detail"]

    def test_per_document_in_a_batch(self, fake_engine):
        client = make_app(MAX_TEXT_CHARS=5).test_client()
        docs = [{"id": "ok", "text": "abcde"}, {"id": "long", "text": "abcdef"}]
        results = client.post("/v1/extract/batch", json={"documents": docs}).get_json()["results"]
        assert results[0]["ok"] is True
        assert results[1]["ok"] is False and results[1]["error"]["status"] == 422
        assert results[1]["error"]["errors"][0]["pointer"] == "/documents/1/text"

    def test_amounts_endpoint_too(self):
        client = make_app(MAX_TEXT_CHARS=5).test_client()
        assert_problem(client.post("/v1/amounts", json={"text": "$1,000,000"}), 422)


class TestBatchSize:
    def test_exactly_max_batch_documents_succeeds(self, fake_engine, spec_validator):
        client = make_app(MAX_BATCH_DOCUMENTS=3).test_client()
        docs = [{"id": str(i), "text": "text"} for i in range(4)]
        response = spec_validator(client.post("/v1/extract/batch", json={"documents": docs[:3]}))
        assert response.status_code == 200 and len(response.get_json()["results"]) == 3
        body = assert_problem(spec_validator(client.post("/v1/extract/batch", json={"documents": docs})), 422)
        assert body["errors"] == [{"pointer": "/documents", "detail": "More than MAX_BATCH_DOCUMENTS (3) documents: 4."}]


def _nested(depth: int) -> dict:
    """{"text": ..., "meta": [[...]]} whose deepest array sits at *depth*."""
    value: object = []
    for _ in range(depth - 2):
        value = [value]
    return {"text": "hello", "meta": value}


class TestNesting:
    def test_exactly_max_json_depth_succeeds(self, fake_engine):
        client = make_app(MAX_JSON_DEPTH=6).test_client()
        assert client.post("/v1/extract", json=_nested(6)).status_code == 200
        body = assert_problem(client.post("/v1/extract", json=_nested(7)), 422)
        assert body["errors"][0]["pointer"] == "" and "MAX_JSON_DEPTH (6)" in body["errors"][0]["detail"]

    @pytest.mark.parametrize("raw", [b"[" * 200_000, b'{"text": "x", "a": ' + b"{\"a\": " * 100_000 + b"1" + b"}" * 100_001])
    def test_nesting_beyond_the_parser_is_422_not_500(self, client, raw):
        # Python's JSON parser gives up with RecursionError near 1000 levels: still a 422.
        assert_problem(_post(client, "/v1/extract", raw), 422)

    def test_unknown_members_are_ignored(self, client, fake_engine):
        response = client.post("/v1/extract", json={"text": "hello", "callers_own": {"a": [1, 2]}, "id": 7})
        assert response.status_code == 200
        assert fake_engine == [("hello", None)]


ENCODED = {"text": "Norway pledged 10 million kroner (€0.9 million) — «aid» for Ukraine.", "source_url": "x"}


class TestEncodings:

    def test_utf8_with_and_without_bom(self, client, fake_engine):
        raw = json.dumps(ENCODED, ensure_ascii=False).encode("utf-8")
        for body in (raw, b"\xef\xbb\xbf" + raw):
            response = _post(client, "/v1/extract", body)
            assert response.status_code == 200, response.get_data(as_text=True)
        assert fake_engine[0][0] == fake_engine[1][0] == ENCODED["text"]

    def test_u_escapes_decode_to_the_same_text(self, client, fake_engine):
        _post(client, "/v1/extract", json.dumps(ENCODED, ensure_ascii=True).encode("ascii"))
        assert fake_engine[0][0] == ENCODED["text"]

    def test_lone_surrogates_and_nul_in_escapes_are_accepted(self, client, spec_validator):
        raw = b'{"text": "\\ud800 Denmark \\u0000 pledged $5 million \\udfff to Chad."}'
        response = spec_validator(_post(client, "/v1/extract", raw))
        assert response.status_code == 200
        for pledge in response.get_json()["pledges"]:
            for span in pledge["evidence"]:
                assert span["end"] > span["start"]

    @pytest.mark.parametrize("raw, offset", [(b'{"text": "caf\xe9"}', 13), (b'{"text": "\xc3"}', 10),
                                              (b'{"text": "\xed\xa0\x80"}', 10)])  # a UTF-8-encoded surrogate
    def test_invalid_utf8_is_400_naming_the_byte(self, client, raw, offset, spec_validator):
        body = assert_problem(spec_validator(_post(client, "/v1/extract", raw)), 400)
        assert "not valid UTF-8" in body["detail"] and f"offset {offset}" in body["detail"]

    def test_utf16_is_refused_as_not_utf8(self, client):
        body = assert_problem(_post(client, "/v1/extract", json.dumps(ENCODED).encode("utf-16")), 400)
        assert "UTF-8" in body["detail"]

    @pytest.mark.parametrize("raw", [b"hello", b"{'text': 'single quotes'}", b'{"text": "x",}', b"\x00"])
    def test_non_json_is_400(self, client, raw):
        assert_problem(_post(client, "/v1/extract", raw), 400)

    def test_empty_body_is_a_missing_text(self, client):
        body = assert_problem(_post(client, "/v1/extract", b""), 422)
        assert body["errors"][0]["pointer"] == "/text"

    @pytest.mark.parametrize("raw", [b'{"text": NaN}', b'{"text": "x", "n": Infinity}', b'{"text": "x", "n": -Infinity}'])
    def test_non_standard_constants_are_400(self, client, raw):
        body = assert_problem(_post(client, "/v1/extract", raw), 400)
        assert "is not JSON" in body["detail"]

    @pytest.mark.parametrize("raw", [b"null", b"42", b'"text"', b"[]", b"true"])
    def test_json_that_is_not_an_object_is_422(self, client, raw, spec_validator):
        body = assert_problem(spec_validator(_post(client, "/v1/extract", raw)), 422)
        assert body["errors"][0]["pointer"] == ""

    def test_huge_integer_is_not_a_500(self, client):
        # Python refuses int() of > 4300 digits; an ignored member with one must not break the parse.
        assert client.post("/v1/extract", data=b'{"text": "hi", "n": ' + b"9" * 10_000 + b"}",
                           content_type="application/json").status_code == 200
        assert_problem(_post(client, "/v1/extract", b'{"text": ' + b"9" * 10_000 + b"}"), 422)
