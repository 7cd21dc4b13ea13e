"""Request bodies other than JSON, and which media types each endpoint takes.

    application/json      every body endpoint (the default)
    text/plain            the body is the text itself; the request's other members are query
                          parameters (POST /v1/extract?published_at=2024-06-11, POST /v1/amounts)
    application/x-ndjson  one JSON request object per line (POST /v1/extract/batch)

A view takes more than JSON when it is marked with ``takes(...)`` (Blueprint.takes does it and
documents it); app.py answers any other Content-Type with 415 before a byte is read.

A text/plain body is decoded with its charset parameter (default UTF-8, a leading UTF-8
byte-order mark dropped); any text encoding Python knows is honoured (iso-8859-1,
windows-1252, utf-16...), anything else is 415. Bytes that are not valid in that charset
are 400. The text and the query parameters then go through the same request schema as a
JSON body, so they are validated the same way; a problem with the text points at the
whole body (pointer ""), a problem with an option names its query parameter.
"""
from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable
from typing import Optional

from flask import Response, current_app, g, request, stream_with_context
from flask_smorest import abort

JSON = "application/json"
TEXT_PLAIN = "text/plain"
NDJSON = "application/x-ndjson"

_ATTRIBUTE = "_pledges_body_media_types"
_UTF8_BOM = b"\xef\xbb\xbf"


def mark(func: Callable, media_types: tuple[str, ...]) -> Callable:
    """Record on a view that it takes these body media types too (JSON always)."""
    known = getattr(func, _ATTRIBUTE, (JSON,))
    setattr(func, _ATTRIBUTE, (*known, *(m for m in media_types if m not in known)))
    return func


def accepted() -> tuple[str, ...]:
    """The body media types of the view this request is routed to."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, _ATTRIBUTE, (JSON,))


def body_problem(status: int, detail: str) -> None:
    """Abort with a problem about the body as a whole (pointer "")."""
    abort(status, message=detail, errors=[{"pointer": "", "detail": detail}])


def check_content_type() -> None:
    """before_request: 415 unless the view takes this body's media type (and charset)."""
    media_types = accepted()
    if request.is_json:
        return
    if request.mimetype in media_types:
        if request.mimetype == TEXT_PLAIN:
            text_codec()
        return
    names = " or ".join(media_types)
    abort(415, message=f"The request body must be {names}, named in the Content-Type header "
                       f"(this one is {request.mimetype or 'missing'}).")


def is_text_request() -> bool:
    return request.mimetype == TEXT_PLAIN


def is_ndjson_request() -> bool:
    return request.mimetype == NDJSON


def wants_ndjson() -> bool:
    """The Accept header prefers application/x-ndjson to application/json."""
    return request.accept_mimetypes.best_match((JSON, NDJSON)) == NDJSON


def keep_ndjson(values: list, lines: list[int]) -> None:
    """The records of an NDJSON body as read, and the line each came from."""
    g.pledges_ndjson = (values, lines)


def ndjson_records() -> list:
    return g.get("pledges_ndjson", ([], []))[0]


def ndjson_lines() -> list[int]:
    return g.get("pledges_ndjson", ([], []))[1]


def ndjson_response(records: Iterable[dict]) -> Response:
    """A streamed application/x-ndjson response: each record is written as one line as soon as
    the generator yields it (the request context stays available to it meanwhile)."""
    def lines():
        for record in records:
            yield current_app.json.dumps(record, separators=(",", ":")) + "\n"

    return Response(stream_with_context(lines()), mimetype=NDJSON)


def text_codec() -> str:
    """The Python codec of a text/plain body's charset (UTF-8 when none is given), or 415."""
    charset = request.mimetype_params.get("charset", "utf-8").strip()
    try:
        info: Optional[codecs.CodecInfo] = codecs.lookup(charset)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13...
        abort(415, message=f"A text/plain body in charset {charset!r} cannot be read: send it as UTF-8 "
                           "(Content-Type: text/plain; charset=utf-8) or in another text encoding.")
    return info.name


def decode(raw: bytes, codec: str, hint: str) -> str:
    """*raw* decoded (a UTF-8 byte-order mark dropped), or a 400 naming the first bad byte."""
    if codec == "utf-8":
        raw = raw.removeprefix(_UTF8_BOM)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as err:
        label = "UTF-8" if codec == "utf-8" else codec
        body_problem(400, f"The request body is not valid {label}: byte 0x{raw[err.start]:02x} at offset "
                          f"{err.start}. {hint}")
    raise AssertionError("unreachable")


def text_members(text_field: str = "text") -> dict:
    """A text/plain request as the members a JSON body would have: the query parameters, and
    the decoded body as *text_field* (a query parameter of that name does not replace it).
    A parameter given more than once is 422: which one was meant cannot be told."""
    repeated = sorted(name for name, values in request.args.lists() if len(values) > 1)
    if repeated:
        abort(422, errors=[{"parameter": name, "detail": "Given more than once."} for name in repeated])
    text = decode(request.get_data(cache=True), text_codec(), "Name the body's encoding in the "
                  "Content-Type header (text/plain; charset=...).")
    return {**{k: v for k, v in request.args.items() if k != text_field}, text_field: text}


def text_pointer() -> str:
    """Where a problem with the request's text points: the member "text" of a JSON body, or
    a text/plain body as a whole."""
    return "" if is_text_request() else "/text"
