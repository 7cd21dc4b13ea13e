"""Property tests (hypothesis) on the engine itself: never raises on any Unicode string, every
span slices the input to exactly its text, output is deterministic, and appending unrelated
paragraphs never loses a pledge."""
import json
import os
import subprocess
import sys

from conftest import REPO, SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.engine import extract_pledges

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Any code point, surrogates included (they arrive through JSON \u escapes).
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None, exclude_categories=())

# Pieces of pledge-like prose (written for these tests), so generated texts reach the deeper
# stages (donors, amounts, attribution), glued with arbitrary Unicode.
PIECES = ["Canada", "the European Union", "Japan's government", "the World Bank", "Kenya", "Peru",
          "pledged", "will provide", "announced", "has committed", "a further", "in humanitarian aid",
          "in military assistance", "for reconstruction", "to", "for", "on Tuesday", "last week",
          "$12 million", "€3.5bn", "£700,000", "40 million euros", "1.2 billion yen", "US$ 9m",
          "between $1m and $2m", "up to 500 million dollars", ",", ".", "\n\n", "(", ")", "\"", "said", "of"]
PROSE = st.lists(st.one_of(st.sampled_from(PIECES), st.text(ANY_CHAR, max_size=6)), max_size=40).map(" ".join)
TEXTS = st.one_of(st.text(ANY_CHAR, max_size=300), PROSE)


def _spans_of(extraction):
    for pledge in extraction.pledges:
        yield pledge.amount
        yield from pledge.evidence


@SETTINGS
@given(TEXTS)
def test_never_raises_and_spans_slice_the_input(text):
    extraction = extract_pledges(text)
    for span in _spans_of(extraction):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start:span.end] == span.text


@SETTINGS
@given(PROSE)
def test_deterministic_in_process(text):
    first, second = extract_pledges(text), extract_pledges(text)
    assert (first.pledges, first.totals) == (second.pledges, second.totals)  # meta has timings


UNRELATED = [
    ("The weather service expects light rain over the hills tomorrow, clearing by the afternoon, "
     "with a fresh breeze from the north-west and highs around fourteen degrees."),
    ("In the evening match, the home side came back from two goals down to draw 2-2, their keeper "
     "saving a late penalty in front of a sold-out stand."),
    ("Fog is likely on the coast road early on; drivers are asked to keep their distance and use "
     "dipped headlights until it lifts."),
    ("The club's new coach said the squad would train twice a day this week before the cup tie, "
     "and that the injured captain was expected back next month."),
]


def _real_texts():
    texts = [(REPO / "seeds" / "000_e68e0e074cbc1a52.txt").read_text(encoding="utf-8")]
    dev = SHARED / "eval" / "dev.jsonl"
    if dev.is_file():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()[:15]]
    return texts


@SETTINGS
@given(st.one_of(PROSE, st.sampled_from(_real_texts())),
       st.lists(st.sampled_from(UNRELATED), min_size=1, max_size=4))
def test_unrelated_paragraphs_never_lose_a_pledge(text, paragraphs):
    original = set(extract_pledges(text).pledges)
    extended = set(extract_pledges(text + "\n\n" + "\n\n".join(paragraphs)).pledges)
    assert original <= extended, original - extended


def test_deterministic_across_processes_and_hash_seeds():
    """Set and dict ordering must not leak into the output: two interpreters with different
    PYTHONHASHSEEDs give byte-identical JSON on real articles."""
    script = ("import json, sys\n"
              "from service.engine import extract_pledges\n"
              "from service.serialize import extraction_to_dict\n"
              "texts = json.load(sys.stdin)\n"
              "out = [extraction_to_dict(extract_pledges(t), text=t) for t in texts]\n"
              "for o in out: o['meta'].pop('elapsed_ms')\n"
              "print(json.dumps(out, sort_keys=True))\n")
    texts = json.dumps(_real_texts())
    outputs = set()
    for seed in ("1", "4242"):
        run = subprocess.run([sys.executable, "-c", script], input=texts, capture_output=True, text=True,
                             cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
