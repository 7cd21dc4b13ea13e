"""text/plain bodies: POST /v1/extract and POST /v1/amounts take the text itself, with the
other request members as query parameters, validated like the JSON form's members."""
import shutil
import subprocess
from datetime import date

import pytest
import yaml
from conftest import REPO, SPEC_PATH, assert_problem, make_app

TEXT = "Freedonia will give about €2.5 million in relief to Sylvania, its foreign minister said."
SEED = REPO / "seeds" / "000_e68e0e074cbc1a52.txt"


def post_text(client, path, text, query="", content_type="text/plain", **kwargs):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(path + query, data=data, content_type=content_type, **kwargs)


def without_timing(body):
    return {**body, "meta": {k: v for k, v in body["meta"].items() if k != "elapsed_ms"}}


def test_the_text_and_the_query_reach_the_engine(client, fake_engine, spec_validator):
    response = spec_validator(post_text(client, "/v1/extract", TEXT,
                                        "?published_at=2024-06-11&source_url=https://example.org/a"))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert fake_engine == [(TEXT, date(2024, 6, 11))]
    meta = response.get_json()["meta"]
    assert meta["published_at"] == "2024-06-11" and meta["source_url"] == "https://example.org/a"
    assert meta["warnings"] == []


def test_same_answer_as_the_json_form_with_the_real_engine(client):
    text = SEED.read_text(encoding="utf-8")
    as_text = post_text(client, "/v1/extract", text, "?published_at=2022-03-01")
    as_json = client.post("/v1/extract", json={"text": text, "published_at": "2022-03-01"})
    assert as_text.status_code == as_json.status_code == 200
    assert as_text.get_json()["pledges"], "the seed article has pledges"
    assert without_timing(as_text.get_json()) == without_timing(as_json.get_json())


@pytest.mark.parametrize("published_at", ["2022-03-01T23:30:00-05:00", "2022-03-01"])
def test_published_at_is_read_like_the_json_member(client, fake_engine, published_at):
    from urllib.parse import quote
    assert post_text(client, "/v1/extract", TEXT, f"?published_at={quote(published_at)}").status_code == 200
    assert fake_engine == [(TEXT, date(2022, 3, 1))]


@pytest.mark.parametrize("query, parameter", [
    ("?published_at=yesterday", "published_at"),
    ("?published_at=2022-02-30", "published_at"),
    ("?published_at=", "published_at"),
    ("?source_url=" + "x" * 3000, "source_url"),
])
def test_an_invalid_option_is_422_naming_its_query_parameter(client, fake_engine, spec_validator, query, parameter):
    body = assert_problem(spec_validator(post_text(client, "/v1/extract", TEXT, query)), 422)
    assert [e["parameter"] for e in body["errors"]] == [parameter]
    assert all("pointer" not in e for e in body["errors"])
    # the JSON form refuses the same value, at its member
    member = query[1:].split("=", 1)
    json_body = assert_problem(client.post("/v1/extract", json={"text": TEXT, member[0]: member[1]}), 422)
    assert [e["detail"] for e in json_body["errors"]] == [e["detail"] for e in body["errors"]]
    assert fake_engine == []


def test_a_repeated_query_parameter_is_422(client, fake_engine):
    body = assert_problem(post_text(client, "/v1/extract", TEXT, "?published_at=2022-03-01&published_at=2022-03-02"),
                          422)
    assert body["errors"] == [{"parameter": "published_at", "detail": "Given more than once."}]
    assert fake_engine == []


def test_unknown_query_parameters_are_named_in_warnings_like_unknown_members(client, fake_engine):
    """The JSON form ignores a member it does not read and names it in meta.warnings; a query
    parameter it does not read is treated the same way. ?text never replaces the body."""
    response = post_text(client, "/v1/extract", TEXT, "?publishedAt=2024-05-01&text=other&my_ref=3")
    assert response.status_code == 200
    [warning] = response.get_json()["meta"]["warnings"]
    assert warning["code"] == "unknown_member"
    assert warning["detail"] == "Ignored, not a query parameter this endpoint reads: ?my_ref, ?publishedAt, ?text."
    assert fake_engine == [(TEXT, None)]


@pytest.mark.parametrize("text", ["", "   \n\t", "\u3000\u00a0"])
def test_a_blank_body_is_422_pointing_at_the_whole_body(client, spec_validator, text):
    body = assert_problem(spec_validator(post_text(client, "/v1/extract", text)), 422)
    assert [e["pointer"] for e in body["errors"]] == [""]


def test_text_over_max_text_chars_is_422_at_the_body(fake_engine):
    client = make_app(MAX_TEXT_CHARS=10).test_client()
    body = assert_problem(post_text(client, "/v1/extract", "x" * 11), 422)
    assert body["errors"] == [{"pointer": "", "detail": "Longer than MAX_TEXT_CHARS (10) characters: 11."}]
    assert post_text(client, "/v1/extract", "x" * 10).status_code == 200


def test_body_over_max_body_bytes_is_413(fake_engine):
    client = make_app(MAX_BODY_BYTES=100).test_client()
    assert_problem(post_text(client, "/v1/extract", "x" * 101), 413)
    assert post_text(client, "/v1/extract", "x" * 100).status_code == 200


@pytest.mark.parametrize("charset, raw", [
    ("iso-8859-1", "Müller: £5 million".encode("iso-8859-1")),
    ("windows-1252", "Müller: €5 million".encode("windows-1252")),
    ("utf-16", "Müller: €5 million".encode("utf-16")),   # with its byte-order mark
    ("UTF-8", "Müller: €5 million".encode("utf-8")),
])
def test_a_charset_is_honoured(client, fake_engine, charset, raw):
    response = post_text(client, "/v1/extract", raw, content_type=f"text/plain; charset={charset}")
    assert response.status_code == 200
    assert fake_engine == [(raw.decode(charset), None)]


def test_a_utf8_byte_order_mark_is_not_part_of_the_text(client, fake_engine):
    assert post_text(client, "/v1/extract", b"\xef\xbb\xbf" + TEXT.encode()).status_code == 200
    assert fake_engine == [(TEXT, None)]


@pytest.mark.parametrize("charset", ["klingon", "base64", "zlib", "rot13"])
def test_a_charset_that_is_no_text_encoding_is_415(client, fake_engine, spec_validator, charset):
    body = assert_problem(spec_validator(post_text(client, "/v1/extract", TEXT,
                                                   content_type=f"text/plain; charset={charset}")), 415)
    assert charset in body["detail"]
    assert fake_engine == []


def test_bytes_invalid_in_the_charset_are_400(client, fake_engine, spec_validator):
    body = assert_problem(spec_validator(post_text(client, "/v1/extract", b"ok \xff\xfe")), 400)
    assert "not valid UTF-8" in body["detail"] and "offset 3" in body["detail"]
    assert fake_engine == []


def test_amounts_takes_text_plain_too(client, spec_validator):
    text = "Japan is approving an additional $100 million (€89 million) in support"
    as_text = spec_validator(post_text(client, "/v1/amounts", text))
    as_json = client.post("/v1/amounts", json={"text": text})
    assert as_text.status_code == 200
    assert as_text.get_json()["amounts"] == as_json.get_json()["amounts"]
    assert [a["value"] for a in as_text.get_json()["amounts"]] == [100000000]
    assert_problem(post_text(client, "/v1/amounts", " "), 422)


@pytest.mark.parametrize("path", ["/v1/extract", "/v1/amounts"])
@pytest.mark.parametrize("content_type", ["application/xml", "text/html", "application/x-www-form-urlencoded"])
def test_other_media_types_are_415_naming_both(client, path, content_type):
    body = assert_problem(client.post(path, data="<text>hello</text>", content_type=content_type), 415)
    assert "application/json or text/plain" in body["detail"]


def test_the_spec_documents_the_second_media_type_and_the_query_parameters():
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    extract = spec["paths"]["/v1/extract"]["post"]
    assert list(extract["requestBody"]["content"]) == ["application/json", "text/plain"]
    assert extract["requestBody"]["content"]["text/plain"]["schema"]["type"] == "string"
    query = {p["name"] for p in extract["parameters"] if p.get("in") == "query"}
    assert query == {"published_at", "source_url"}
    amounts = spec["paths"]["/v1/amounts"]["post"]
    assert list(amounts["requestBody"]["content"]) == ["application/json", "text/plain"]
    assert not [p for p in amounts["parameters"] if p.get("in") == "query"]
    problem = spec["components"]["schemas"]["FieldProblem"]["properties"]
    assert {"pointer", "parameter"} <= set(problem)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_data_binary_over_http(live_server, tmp_path):
    """The README's command, against a real gunicorn."""
    article = tmp_path / "article.txt"
    article.write_bytes(SEED.read_bytes())
    out = subprocess.run(["curl", "-sS", "--data-binary", f"@{article}", "-H", "Content-Type: text/plain",
                          "-w", "\n%{http_code}", f"{live_server.url}/v1/extract?published_at=2024-06-11"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    import json
    body, status = out.rsplit("\n", 1)
    assert status == "200", body
    answer = json.loads(body)
    assert answer["meta"]["published_at"] == "2024-06-11"
    assert answer["meta"]["text_length"] == len(SEED.read_text(encoding="utf-8"))
    assert answer["pledges"]


def test_with_a_json_body_the_query_is_validated_and_ignored_visibly(client, fake_engine):
    """The query parameters are the text/plain form's options: a JSON body carries its own, so
    they are not read, but a bad one is still refused (the spec documents them on the operation)
    and a good one is named in meta.warnings, never dropped in silence."""
    response = client.post("/v1/extract?published_at=2024-06-11", json={"text": TEXT})
    assert response.status_code == 200
    assert fake_engine == [(TEXT, None)]
    [warning] = response.get_json()["meta"]["warnings"]
    assert warning["code"] == "unknown_member" and "?published_at" in warning["detail"]
    body = assert_problem(client.post("/v1/extract?source_url=" + "x" * 3000, json={"text": TEXT}), 422)
    assert [e["parameter"] for e in body["errors"]] == ["source_url"]
