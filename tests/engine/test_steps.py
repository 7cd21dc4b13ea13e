"""The pipeline's structure (issue 13): the Document's layers, the named rules of the steps and
the internal trace of which rule decided what.  What the rules decide is tested by the stage
corpora (tests/engine/corpora/*.yaml) and the golden output (test_golden.py)."""
from __future__ import annotations

import inspect
import re

from service.engine import assemble, lists, stages
from service.engine.document import Layer
from service.engine.steps import (amounts, category, context, dating, not_pledge, packages, parties, repeats,
                                  status, totals)
from service.engine.steps.rules import Rule
from service.engine.types import Span

STEP_MODULES = (amounts, category, context, dating, not_pledge, packages, parties, repeats, status, totals)


def test_layer_lookups_are_by_start():
    layer = Layer([Span(0, 3, "abc"), Span(5, 9, "defg"), Span(12, 14, "hi")])
    assert [x.text for x in layer.within(4, 12)] == ["defg"]
    assert [x.text for x in layer.within(0, 13)] == ["abc", "defg", "hi"]
    assert len(layer) == 3 and layer and not Layer()


def test_document_has_every_layer():
    doc = stages.build_document("GENEVA (wire) - Norway pledged $5 million for Sudan on Monday.\n"
                                "Donors pledged the following:\n• Sweden: $2 million\n• Denmark: $1 million\n",
                                "2024-05-08")
    assert doc.dateline is not None and doc.sentences
    assert [m.text for m in doc.money] == ["$5 million", "$2 million", "$1 million"]
    assert [e.code for e in doc.entities][:2] == ["NOR", "SDN"]      # none from the dateline
    assert doc.event_date is not None and doc.plain_text != doc.text
    assert [doc.layout.row_at(m.start) and doc.layout.row_at(m.start).donor.code for m in doc.money] == [None, "SWE", "DNK"]


def test_rule_names_are_unique_and_each_rule_says_what_it_decides():
    rules = list({id(v): v for module in STEP_MODULES for v in vars(module).values() if isinstance(v, Rule)}.values())
    names = [r.name for r in rules]        # (a rule imported by another step counts once)
    assert len(names) == len(set(names)) >= 20
    assert all(r.matches and r.decides and re.fullmatch(r"[a-z]+(?:-[a-z]+)*", r.name) for r in rules)


def test_the_trace_names_the_rule_that_an_appeal_is_no_pledge():
    found = assemble.explain("The UN launched an appeal for $400 million for Sudan on Monday. "
                             "Norway pledged $5 million for Sudan on Tuesday.", "2024-05-08")
    assert [(m.text, rule) for m, rule in found["rejected"]] == [("$400 million", "request-or-appeal")]
    [(pledge, rules)] = found["pledges"]
    assert pledge.donor.code == "NOR" and rules[0] == "named-giver" and "own-clause-day" in rules


def test_the_trace_names_status_rules():
    found = assemble.explain("Norway sent an initial €1 million and on Friday pledged a further €4 million.")
    assert [(p.amount.text, p.status, rules) for p, rules in found["pledges"]] == [
        ("€1 million", "previously_announced", ("named-giver", "initial-then-more")),
        ("€4 million", "new", ("named-giver",)),
    ]


def test_explain_gives_the_same_pledges_as_run():
    text = "Japan pledged $10 million for Syria. Germany, for its part, promised €20 million in aid."
    assert [p for p, _ in assemble.explain(text)["pledges"]] == list(assemble.run(text).pledges)


def test_no_step_takes_more_than_a_handful_of_arguments():
    modules = (assemble, stages, lists) + STEP_MODULES
    wide = [f"{m.__name__}.{name}" for m in modules for name, f in vars(m).items()
            if inspect.isfunction(f) and f.__module__ == m.__name__ and len(inspect.signature(f).parameters) > 5]
    assert not wide, wide


def test_assemble_is_the_short_list_of_steps():
    source = inspect.getsource(assemble)
    assert len(source.splitlines()) < 80 and "re.compile" not in source
