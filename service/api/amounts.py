"""POST /v1/amounts: the money stage on its own, for callers holding an amount string."""
from __future__ import annotations

import time

from flask_smorest import abort

from .. import telemetry
from . import examples, media
from .base import Blueprint
from .extract import text_too_long
from .limits import within_budget
from .schemas import AmountsRequestSchema, AmountsResponseSchema

blp = Blueprint("amounts", __name__, url_prefix="/v1",
                description="Read and normalise amounts of money")


def find_money(text: str):
    # Imported on first use: the money stage is an engine module that loads its own data.
    from ..engine.money import find_money as stage
    return stage(text)


def read_amounts(text: str) -> list:
    """find_money's answer; for a short string it reads nothing whole in ("12,50 zł",
    "CHF 1'234.50" read as "CHF 1"), the one amount the string is, when it is one."""
    # Imported on first use, like the stage (it loads price-parser and the money stage).
    from ..engine.amount_string import (
        SHORT_AMOUNT_MAX_CHARS,
        parse_formatted_amount,
        spans_whole_string,
    )
    found = list(find_money(text))
    if len(text.strip()) <= SHORT_AMOUNT_MAX_CHARS and not spans_whole_string(found, text):
        single = parse_formatted_amount(text)
        if single is not None:
            return [single]
    return found


@blp.route("/amounts", methods=["POST"])
@blp.arguments(AmountsRequestSchema, example=examples.AMOUNTS_REQUEST)
@blp.response(200, AmountsResponseSchema, example=examples.AMOUNTS_RESPONSE)
@blp.problems(400, 401, 413, 415, 500, 503)
@blp.takes_text(example=examples.AMOUNTS_TEXT,
                description="The text itself (UTF-8 unless the charset parameter names another encoding)")
def amounts(body):
    """Find every amount of money in a text

    Values are exact JSON numbers in units of the currency; `equivalent` is the same amount
    restated in another currency right after it ("€500 million ($550 million)"), else null.
    A short text (at most 64 characters) that is a single amount written the continental
    way ("1 234,56 €", "CHF 1'234.50", "12,50 zł") is read as that one amount.

    The body is JSON, or the text itself as `text/plain`.
    """
    problems = text_too_long(body["text"], media.text_pointer())
    if problems:
        abort(422, errors=problems)
    started = time.perf_counter()
    found = within_budget(read_amounts, body["text"])
    elapsed_ms = (time.perf_counter() - started) * 1000
    telemetry.record_amounts(len(body["text"]), elapsed_ms)
    return {"amounts": found,
            "meta": {"text_length": len(body["text"]), "amount_count": len(found),
                     "elapsed_ms": round(elapsed_ms, 3)}}
