"""Look-alike Cyrillic letters inside English words (sentences written for these tests)."""
from service.engine import extract_pledges, homoglyphs

# "Chile will provide $25 million" with Cyrillic а, о and е inside the English words.
MIXED = "Chil\u0435 will pr\u043evid\u0435 $25 milli\u043en t\u043e th\u0435 flood r\u0435sp\u043ens\u0435."


def test_mixed_words_are_read_as_latin_with_the_same_offsets():
    folded = homoglyphs.fold(MIXED)
    assert folded == "Chile will provide $25 million to the flood response."
    assert len(folded) == len(MIXED)


def test_wholly_cyrillic_words_are_left_alone():
    text = "\u0423\u043a\u0440\u0430\u0457\u043d\u0430 \u043e\u0442\u0440\u0438\u043c\u0430\u0454 \u0434\u043e\u043f\u043e\u043c\u043e\u0433\u0443 and Chile pledged $5 million."
    assert homoglyphs.fold(text) == text


def test_a_pledge_written_with_lookalikes_is_found_and_quoted_as_sent():
    result = extract_pledges(MIXED)
    [pledge] = result.pledges
    assert (pledge.donor.code, pledge.amount.value, pledge.amount.currency) == ("CHL", 25000000, "USD")
    [evidence] = pledge.evidence
    assert evidence.text == MIXED[evidence.start:evidence.end]
    assert "\u0435" in evidence.text
