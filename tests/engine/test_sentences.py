"""Sentence stage: split_sentences on the cases of corpora/sentences.yaml, plus offsets."""
from __future__ import annotations

import pytest

from service.engine.sentences import split_sentences
from tests.engine.pledge_corpus import load, params


@pytest.mark.parametrize("case", params("sentences.yaml"))
def test_sentence_corpus(case):
    assert [s.text for s in split_sentences(case["text"])] == case["sentences"]


@pytest.mark.parametrize("text", [c["text"] for c in load("sentences.yaml")])
def test_offsets_slice_the_input_exactly(text):
    sentences = split_sentences(text)
    last_end = 0
    for i, s in enumerate(sentences):
        assert text[s.start:s.end] == s.text
        assert s.index == i
        assert s.start >= last_end, "sentences overlap or are out of order"
        assert s.text == s.text.strip() and s.text
        last_end = s.end


def test_offsets_with_unicode_and_crlf():
    text = "Zürich gave CHF 3 million.\r\nKyiv — thankful — said “thanks.” Done."
    sentences = split_sentences(text)
    assert [text[s.start:s.end] for s in sentences] == [s.text for s in sentences]
    assert sentences[0].text == "Zürich gave CHF 3 million."
    assert sentences[-1].text == "Done."
