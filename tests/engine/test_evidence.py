"""Evidence passages: the sentence, or a window of a sentence too long to quote whole."""
from service.engine import extract_pledges
from service.engine.evidence import EVIDENCE_MAX_CHARS, passage
from service.engine.types import Span


def _span(text, part, start=0):
    i = text.index(part, start)
    return Span(i, i + len(part), part)


def test_a_sentence_within_the_limit_is_quoted_whole():
    text = "Japan pledged $5 million for schools in Nepal on Monday."
    got = passage(Span(0, len(text), text), _span(text, "$5 million"))
    assert (got.start, got.end, got.text) == (0, len(text), text)


def test_a_long_sentence_is_cut_to_the_limit_around_the_amount():
    items = ", ".join(f"donor number {i} gives ${i} million" for i in range(1, 200))
    text = "At the meeting " + items + "."
    amount = _span(text, "$150 million")
    got = passage(Span(0, len(text), text), amount)
    assert got.end - got.start <= EVIDENCE_MAX_CHARS
    assert got.start <= amount.start and amount.end <= got.end
    assert text[got.start:got.end] == got.text
    # Cut at word boundaries, no stray spaces at either end.
    assert text[got.start - 1] == " " and not got.text[0].isspace()
    assert not got.text[-1].isspace() and text[got.end] in " ,."
    # More of the words before the amount than after it.
    assert amount.start - got.start > got.end - amount.end


def test_the_donor_is_brought_into_the_window_when_it_fits():
    filler = " ".join(["and then there was more talk of roads"] * 6)
    text = "Norway said " + filler + " that it would add $12 million " + filler + "."
    donor = _span(text, "Norway")
    amount = _span(text, "$12 million")
    got = passage(Span(0, len(text), text), amount, donor)
    assert got.start == 0 and "$12 million" in got.text
    assert got.end - got.start <= EVIDENCE_MAX_CHARS


def test_a_donor_too_far_away_does_not_push_the_amount_out():
    filler = " ".join(["with a long list of other business"] * 20)
    text = "Norway said " + filler + " it would add $12 million."
    got = passage(Span(0, len(text), text), _span(text, "$12 million"), _span(text, "Norway"))
    assert "$12 million" in got.text and "Norway" not in got.text


def test_a_window_at_the_end_of_the_sentence_uses_the_room_before_it():
    text = "Opening words " + "of a very long list " * 40 + "then Chile gave $3 million"
    amount = _span(text, "$3 million")
    got = passage(Span(0, len(text), text), amount)
    assert got.end == len(text)
    assert got.end - got.start >= EVIDENCE_MAX_CHARS - 25   # only the word cut is lost


def test_every_pledge_of_a_long_one_sentence_list_is_quoted_around_its_own_amount():
    names = ["Japan", "Germany", "France", "Italy", "Spain", "Norway", "Sweden", "Canada"]
    text = "Donors pledged: " + ", ".join(f"{names[i % 8]} ${i} million" for i in range(1, 120)) + "."
    result = extract_pledges(text, "2024-05-02")
    assert len(result.pledges) > 100
    for p in result.pledges:
        (ev,) = p.evidence
        assert text[ev.start:ev.end] == ev.text
        assert len(ev.text) <= EVIDENCE_MAX_CHARS
        assert p.amount.text in ev.text


def test_the_api_describes_the_limit_the_engine_uses():
    from service.api.schemas import PledgeSchema
    described = PledgeSchema().fields["evidence"].metadata["description"]
    assert f"longer than {EVIDENCE_MAX_CHARS} characters" in described
