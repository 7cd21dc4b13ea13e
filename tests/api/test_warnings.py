"""meta.warnings: why a text yielded no pledge, when the service can tell (texts written for
these tests)."""
import pytest

from service.diagnostics import warnings_for

ENGLISH = ("Ministers from several countries met in the capital on Monday to discuss the response to the "
           "floods, and they said more help would follow in the coming weeks.")


def codes(text, pledges=0):
    return [w["code"] for w in warnings_for(text, pledges)]


def test_a_text_with_pledges_has_no_warning():
    assert codes("LE GOUVERNEMENT A PROMIS " * 10, pledges=1) == []


def test_english_text_without_money_says_there_is_no_amount():
    assert codes(ENGLISH) == ["no_amount"]


def test_english_text_with_money_but_no_pledge_has_no_warning():
    assert codes(ENGLISH + " The damage was put at $3 billion.") == []


def test_not_english():
    french = ("Le gouvernement français a promis une aide de 50 millions d'euros pour les victimes des "
              "inondations dans le sud du pays, selon un communiqué publié lundi par le ministère.")
    assert "not_english" in codes(french)


@pytest.mark.parametrize("transform, code", [(str.upper, "all_caps"), (str.lower, "all_lowercase")])
def test_case_that_hides_names(transform, code):
    assert code in codes(transform(ENGLISH + " Japan pledged $5 million."))


def test_short_texts_are_not_judged_by_language_or_case():
    assert codes("JAPAN PLEDGED AID") == ["no_amount"]


def test_the_api_reports_them():
    from conftest import make_app
    api = make_app().test_client()
    meta = api.post("/v1/extract", json={"text": ENGLISH.upper() + " JAPAN PLEDGED $5 MILLION."}).get_json()["meta"]
    assert [w["code"] for w in meta["warnings"]] == ["all_caps"] and meta["pledge_count"] == 0
    ok = api.post("/v1/extract", json={"text": "Japan pledged $5 million to Nepal on Monday."}).get_json()["meta"]
    assert ok["warnings"] == []


def test_unknown_members_are_named_not_silently_dropped():
    from conftest import make_app
    api = make_app().test_client()
    meta = api.post("/v1/extract", json={"text": "Japan pledged $5 million to Nepal on Monday.",
                                         "publishedAt": "2024-05-01", "my_ref": 3}).get_json()["meta"]
    [warning] = meta["warnings"]
    assert warning["code"] == "unknown_member" and "/my_ref" in warning["detail"] and "/publishedAt" in warning["detail"]
    batch = api.post("/v1/extract/batch", json={"documents": [
        {"id": "a", "text": "Japan pledged $5 million to Nepal.", "publishedAt": "2024-05-01"}]}).get_json()
    [warning] = batch["results"][0]["result"]["meta"]["warnings"]
    assert "/documents/0/publishedAt" in warning["detail"]


def test_lookalike_letters_are_named_even_when_pledges_were_found():
    mixed = "Chil\u0435 will pr\u043evid\u0435 $25 milli\u043en t\u043e th\u0435 flood r\u0435sp\u043ens\u0435."
    assert codes(mixed, pledges=1) == ["lookalike_letters"]
    assert codes("Chile will provide $25 million to the flood response.", pledges=1) == []
