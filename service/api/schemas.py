"""Every marshmallow schema of the HTTP API, in one place.

Request schemas validate and load bodies; response schemas shape what the views return
(dataclasses from service.engine.types or plain dicts: marshmallow reads both) and document
the contract in openapi.yaml. No Flask in here, so the CLI can serialise with them too.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, Optional, Union

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

CATEGORIES = ("military_lethal", "military_non_lethal", "military", "humanitarian",
              "financial", "development", "unspecified")
STATUSES = ("new", "previously_announced", "total")
INSTRUMENTS = ("grant", "loan", "guarantee", "in_kind", "unspecified")
PARTY_TYPES = ("country", "organisation")
QUALIFIERS = ("approximate", "lower_bound", "upper_bound", "range")
HEALTH_STATUSES = ("pass", "warn", "fail")
FX_DATE_BASES = ("pledge_date", "published_at")

# "2022-03-01" or an RFC 3339 date-time ("2022-03-01T09:30:00Z", "...T09:30:00.5+02:00").
_DATE_OR_DATETIME = (r"^\d{4}-\d{2}-\d{2}"
                     r"([Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d))?$")
_DATE_OR_DATETIME_RE = re.compile(_DATE_OR_DATETIME)


def json_number(value: Any) -> Optional[float | int]:
    """A Decimal as an exact JSON number: integral values become int, others float.

    Flask's JSON provider writes Decimal as a string, which the contract forbids.
    Non-finite values (NaN, infinity) have no JSON form and become null.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return int(value) if value.is_integer() else value
    return int(value) if isinstance(value, int) else float(value)


class JsonNumber(fields.Number):
    """Dump-only number that keeps Decimal exact and never becomes a JSON string."""
    num_type = float  # only used if something loads through it

    def _serialize(self, value, attr, obj, **kwargs):
        return json_number(value)


class DateOrDateTime(fields.String):
    """Loads "YYYY-MM-DD" or an RFC 3339 date-time into a date: the date part, as written (a
    publication date is the newsroom's local day, so no conversion to UTC)."""

    default_error_messages = {"invalid_date": "Not a date (YYYY-MM-DD) or RFC 3339 date-time."}

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        text = super()._deserialize(value, attr, data, **kwargs)
        if _DATE_OR_DATETIME_RE.fullmatch(text):
            try:
                return date.fromisoformat(text[:10])  # the calendar check: no 2022-02-30
            except ValueError:
                pass
        raise self.make_error("invalid_date")


# Not whitespace as JSON Schema's regexes (ECMA-262 \s) define it, so the documented pattern
# "\S" and this check accept exactly the same texts (Python's own \s also covers \x1c-\x1f).
_NOT_ECMA_SPACE = re.compile(r"[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")


class NotBlank(validate.Length):
    """At least one non-whitespace character (documented as minLength: 1 and pattern "\\S")."""

    def __init__(self):
        super().__init__(min=1)

    def __call__(self, value: str) -> str:
        if not _NOT_ECMA_SPACE.search(value):
            raise ValidationError("Must contain at least one non-whitespace character.")
        return value


def _text_field(description: str) -> fields.String:
    return fields.String(required=True, validate=NotBlank(), metadata={"description": description,
                                                                       "pattern": r"\S"})


# ---------------------------------------------------------------- problems (RFC 9457)

class FieldProblemSchema(Schema):
    """One offending part of the request: a member of the body (pointer) or a query parameter
    (parameter); each entry has one of the two."""
    pointer = fields.String(metadata={
        "description": "JSON Pointer (RFC 6901) to the offending member of the request body; \"\" is "
                       "the body as a whole (for a text/plain body: the text)",
        "example": "/text"})
    parameter = fields.String(metadata={
        "description": "The offending query parameter (the options of a text/plain request, the "
                       "filters of a listing)", "example": "published_at"})
    detail = fields.String(required=True, metadata={"example": "Missing data for required field."})


class ProblemSchema(Schema):
    """application/problem+json (RFC 9457)."""
    type = fields.String(required=True, metadata={
        "description": "URI reference naming the problem type; about:blank: the status says it all",
        "example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Unprocessable Content"})
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = fields.String(required=True, metadata={"example": "The request body is not valid."})
    instance = fields.String(metadata={"description": "The request path", "example": "/v1/extract"})
    request_id = fields.String(metadata={"description": "Same as the X-Request-ID response header"})
    errors = fields.List(fields.Nested(FieldProblemSchema), metadata={
        "description": "One entry per invalid field (422) or unreadable body (400)"})


# ---------------------------------------------------------------- POST /v1/extract

class RequestSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # extra members are ignored, so callers can send their own metadata (named in meta.warnings)


class ExtractRequestSchema(RequestSchema):
    text = _text_field("News text to read; at most MAX_TEXT_CHARS characters (default 200000)")
    published_at = DateOrDateTime(load_default=None, allow_none=True, metadata={
        "description": "Publication date, YYYY-MM-DD or an RFC 3339 date-time (its date part is "
                       "used); resolves weekdays such as 'on Tuesday'",
        "type": "string", "pattern": _DATE_OR_DATETIME, "anyOf": [{"format": "date"}, {"format": "date-time"}],
        "example": "2022-03-01"})
    source_url = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2048),
                               metadata={"description": "Where the text came from; echoed in meta"})


class SpanSchema(Schema):
    text = fields.String(required=True, metadata={"description": "input[start:end]"})
    start = fields.Integer(required=True, metadata={"description": "Offset of the first character"})
    end = fields.Integer(required=True, metadata={"description": "Offset after the last character"})


class PartySchema(Schema):
    name = fields.String(required=True, metadata={"example": "Australia"})
    code = fields.String(required=True, metadata={
        "description": "ISO 3166-1 alpha-3 for a state; a fixed short code for an organisation "
                       "(EU, WB, IMF, ADB, AIIB, EIB, EBRD, ISDB, UN, ...)", "example": "AUS"})
    type = fields.String(required=True, validate=validate.OneOf(PARTY_TYPES))


class FxSchema(Schema):
    """An amount in USD and EUR at the European Central Bank's euro reference rates (service/fx.py)."""
    usd = JsonNumber(required=True, metadata={"description": "value in US dollars, rounded to the cent",
                                              "example": 110000000})
    usd_upper = JsonNumber(required=True, allow_none=True, metadata={"description": "upper in US dollars, else null"})
    eur = JsonNumber(required=True, metadata={"description": "value in euros, rounded to the cent",
                                              "example": 100000000})
    eur_upper = JsonNumber(required=True, allow_none=True, metadata={"description": "upper in euros, else null"})
    usd_per_unit = JsonNumber(required=True, metadata={
        "description": "US dollars per unit of the currency (ECB USD rate / currency rate), 10 significant digits",
        "example": 1.1})
    eur_per_unit = JsonNumber(required=True, metadata={
        "description": "Euros per unit of the currency (1 / ECB rate), 10 significant digits", "example": 1})
    rate_date = fields.String(required=True, metadata={
        "format": "date", "example": "2022-03-01",
        "description": "Day of the ECB rates used: the date in date_basis, or the nearest earlier day "
                       "the file quotes the currency and USD (at most 7 days earlier)"})
    date_basis = fields.String(required=True, validate=validate.OneOf(FX_DATE_BASES), metadata={
        "description": "Which date was converted at: the pledge's date, else the publication date"})


class Qualifier(fields.String):
    """An amount's qualifier: one of QUALIFIERS, or null for an exact amount. Documented once,
    as the component Qualifier, so generated clients get one enum type (service/api/base.py)."""

    def __init__(self, **kwargs):
        super().__init__(required=True, allow_none=True, validate=validate.OneOf(QUALIFIERS), **kwargs)


QUALIFIER_COMPONENT = {
    "type": "string", "enum": list(QUALIFIERS),
    "description": "How the text qualifies the amount: approximate, lower_bound (at least), upper_bound (at most) "
                   "or range (value is its low end, upper its high end); null when it does not"}


class PledgeAmountSchema(Schema):
    value = JsonNumber(required=True, metadata={
        "description": "Exact amount in units of the currency (a range's low end)", "example": 50000000})
    upper = JsonNumber(required=True, allow_none=True, metadata={"description": "High end of a range, else null"})
    currency = fields.String(required=True, metadata={"description": "ISO 4217", "example": "USD"})
    text = fields.String(required=True, metadata={"description": "The amount as written",
                                                  "example": "US $50 million"})
    qualifier = Qualifier()
    currency_assumed = fields.Boolean(required=True, metadata={
        "description": "True when the currency was inferred: a bare '$' read as USD, or a scaled "
                       "number with no currency read in the currency of the amount just before it "
                       "('€2 billion for arms and 1.1 billion for aid')"})
    fx = fields.Nested(FxSchema, allow_none=True, metadata={
        "description": "Only when the service has FX_RATES_FILE (ECB reference rates): the amount in "
                       "USD and EUR; null when it cannot be converted (currency not in the file, no "
                       "pledge or publication date, no rate within 7 days before that date)"})


class PledgeSchema(Schema):
    donor = fields.Nested(PartySchema, required=True)
    recipient = fields.Nested(PartySchema, required=True, allow_none=True,
                              metadata={"description": "null for several countries, regions or global funds"})
    amount = fields.Nested(PledgeAmountSchema, required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    date = fields.String(required=True, allow_none=True, metadata={
        "format": "date", "description": "Day the pledge was announced, if the text fixes one"})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    instrument = fields.String(required=True, validate=validate.OneOf(INSTRUMENTS))
    evidence = fields.List(fields.Nested(SpanSchema), required=True,
                           metadata={"description": "Passages of the input the pledge rests on, one per mention: "
                                                  "its sentence, or, for a sentence longer than 400 characters, "
                                                  "the at most 400 characters around the amount (with the "
                                                  "donor's name when it fits), cut at word boundaries"})
    confidence = fields.Float(required=True, validate=validate.Range(min=0, max=1))


class TotalSchema(Schema):
    donor = fields.Nested(PartySchema, required=True)
    currency = fields.String(required=True)
    sum = JsonNumber(required=True, metadata={
        "description": "Sum of the donor's distinct new and previously announced pledges in this currency"})
    stated_total = JsonNumber(required=True, allow_none=True, metadata={
        "description": "A running total the text states (never added into sum), else null"})
    pledge_count = fields.Integer(required=True)
    sum_usd = JsonNumber(allow_none=True, metadata={
        "description": "Only with FX_RATES_FILE: sum in US dollars, each pledge at its own date's rate; "
                       "null unless every pledge in it could be converted"})


class DonorUsdTotalSchema(Schema):
    donor = fields.Nested(PartySchema, required=True)
    sum_usd = JsonNumber(required=True, allow_none=True, metadata={
        "description": "The donor's pledges in all currencies, in US dollars; null unless every one "
                       "could be converted", "example": 160000000})
    currencies = fields.List(fields.String(), required=True, metadata={"description": "ISO 4217 codes added up"})
    pledge_count = fields.Integer(required=True)


class WarningSchema(Schema):
    code = fields.String(required=True, validate=validate.OneOf(["not_english", "all_caps", "all_lowercase", "no_amount", "unknown_member",
                                                                  "lookalike_letters"]),
                         metadata={"description": "Why the text may have yielded nothing, or how it was read"})
    detail = fields.String(required=True)


class ExtractMetaSchema(Schema):
    engine_version = fields.String(required=True)
    published_at = fields.String(required=True, allow_none=True, metadata={
        "format": "date", "description": "The date the engine resolved relative dates against"})
    source_url = fields.String(allow_none=True)
    text_length = fields.Integer(required=True, metadata={"description": "Characters in text"})
    pledge_count = fields.Integer(required=True)
    total_count = fields.Integer(required=True)
    elapsed_ms = fields.Float(required=True, metadata={"description": "Engine time for this text"})
    warnings = fields.List(fields.Nested(WarningSchema), required=True, metadata={
        "description": "When the text yielded no pledge and the service can tell why: not English, in capitals "
                       "or lower case only, or no amount of money at all; and request members this endpoint "
                       "ignored (unknown_member, e.g. a misspelt publishedAt). Empty otherwise."})


class ExtractResponseSchema(Schema):
    pledges = fields.List(fields.Nested(PledgeSchema), required=True)
    totals = fields.List(fields.Nested(TotalSchema), required=True,
                         metadata={"description": "Per donor and currency"})
    totals_usd = fields.List(fields.Nested(DonorUsdTotalSchema), metadata={
        "description": "Only with FX_RATES_FILE: per donor, across currencies, in US dollars"})
    meta = fields.Nested(ExtractMetaSchema, required=True)


# ---------------------------------------------------------------- POST /v1/extract/batch

class StringOrInteger(fields.Field):
    """A caller's id: a non-empty string (at most 200 characters) or an integer (not a boolean),
    echoed as given."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValidationError("Must be a string or an integer.")
        if isinstance(value, str) and not 1 <= len(value) <= 200:
            raise ValidationError("Length must be between 1 and 200.")
        return value

    def _serialize(self, value, attr, obj, **kwargs):
        return value


_ID_SPEC = {"oneOf": [{"type": "string", "minLength": 1, "maxLength": 200}, {"type": "integer"}]}


class BatchDocumentSchema(ExtractRequestSchema):
    id = StringOrInteger(required=True, metadata={
        "description": "Caller's identifier (a string or an integer), echoed as given in the result", **_ID_SPEC})


class ItemOutcome(NamedTuple):
    """One batch document after validation: its loaded data, or its own errors (and status)."""
    index: int
    raw_id: Optional[Union[str, int]]
    data: Optional[dict]
    errors: Optional[dict]
    status: int = 422
    detail: Optional[str] = None  # the problem's detail, when the default one would not say it


class UnreadableLine(NamedTuple):
    """A line of an NDJSON batch that is not a JSON value (400) or too deeply nested (422):
    it stands in the documents for that line, which gets this problem as its result."""
    status: int
    detail: str


class ValidatedEach(fields.List):
    """A list whose items are validated one by one: a bad item becomes an ItemOutcome with
    errors instead of failing the whole list, so every document gets its own answer."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[ItemOutcome]:
        if not isinstance(value, list):
            raise self.make_error("invalid")
        outcomes = []
        for index, item in enumerate(value):
            if isinstance(item, UnreadableLine):
                outcomes.append(ItemOutcome(index, None, None, {"_schema": [item.detail]}, item.status, item.detail))
                continue
            raw_id = item.get("id") if isinstance(item, dict) else None
            raw_id = raw_id if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else None
            try:
                outcomes.append(ItemOutcome(index, raw_id, self.inner.deserialize(item, **kwargs), None))
            except ValidationError as err:
                outcomes.append(ItemOutcome(index, raw_id, None, err.normalized_messages()))
        return outcomes


class BatchRequestSchema(RequestSchema):
    documents = ValidatedEach(fields.Nested(BatchDocumentSchema), required=True,
                              validate=validate.Length(min=1), metadata={
                                  "description": "At most MAX_BATCH_DOCUMENTS (default 100). An invalid "
                                                 "document gets its own error; the others are still read."})


class BatchItemSchema(Schema):
    id = StringOrInteger(required=True, allow_none=True, metadata={
        "description": "The document's id as sent (null when it had no usable id)",
        "oneOf": [{"type": "string", "nullable": True}, {"type": "integer"}]})
    line = fields.Integer(metadata={
        "description": "Only for an application/x-ndjson request: the document's line in it (1 is the first)"})
    ok = fields.Boolean(required=True)
    result = fields.Nested(ExtractResponseSchema, metadata={"description": "Present when ok"})
    error = fields.Nested(ProblemSchema, metadata={"description": "Present when not ok"})


class BatchMetaSchema(Schema):
    document_count = fields.Integer(required=True)
    ok_count = fields.Integer(required=True)
    error_count = fields.Integer(required=True)
    elapsed_ms = fields.Float(required=True)


class BatchResponseSchema(Schema):
    results = fields.List(fields.Nested(BatchItemSchema), required=True,
                          metadata={"description": "One per document, in request order"})
    meta = fields.Nested(BatchMetaSchema, required=True)


# ---------------------------------------------------------------- POST /v1/amounts

class AmountsRequestSchema(RequestSchema):
    text = _text_field("Text holding one or more amounts of money; at most MAX_TEXT_CHARS characters")


class EquivalentAmountSchema(Schema):
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    value = JsonNumber(required=True, allow_none=True)
    upper = JsonNumber(required=True, allow_none=True)
    currency = fields.String(required=True, allow_none=True)
    currency_assumed = fields.Boolean(required=True)
    qualifier = Qualifier()


class AmountSchema(EquivalentAmountSchema):
    equivalent = fields.Nested(EquivalentAmountSchema, required=True, allow_none=True, metadata={
        "description": "The same amount stated in another currency right after it, else null"})


class AmountsMetaSchema(Schema):
    text_length = fields.Integer(required=True)
    amount_count = fields.Integer(required=True)
    elapsed_ms = fields.Float(required=True)


class AmountsResponseSchema(Schema):
    amounts = fields.List(fields.Nested(AmountSchema), required=True)
    meta = fields.Nested(AmountsMetaSchema, required=True)


# ---------------------------------------------------------------- health (application/health+json)

class HealthCheckSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(HEALTH_STATUSES))
    componentType = fields.String()
    observedValue = fields.Raw(metadata={"description": "What the check measured"})
    observedUnit = fields.String()
    output = fields.String(metadata={"description": "Why a check failed"})
    time = fields.String(metadata={"format": "date-time"})


class HealthSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(HEALTH_STATUSES))
    version = fields.String(required=True)
    serviceId = fields.String(required=True)
    description = fields.String()
    checks = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(HealthCheckSchema)))


# ---------------------------------------------------------------- the pledge ledger (service/ledger)

class ArticleRequestSchema(RequestSchema):
    text = _text_field("News text to add to the ledger; at most MAX_TEXT_CHARS characters")
    published_at = DateOrDateTime(load_default=None, allow_none=True, metadata={
        "description": "Publication date, YYYY-MM-DD or an RFC 3339 date-time",
        "pattern": _DATE_OR_DATETIME, "anyOf": [{"format": "date"}, {"format": "date-time"}]})
    url = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2048), metadata={
        "description": "The article's address: the same url with another text is a new revision"})
    source = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    external_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class LedgerArticleSchema(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True, allow_none=True)
    published_at = fields.String(required=True, allow_none=True, metadata={"format": "date"})
    content_sha256 = fields.String(required=True)
    source = fields.String(required=True, allow_none=True)
    external_id = fields.String(required=True, allow_none=True)
    revision = fields.Integer(required=True)
    text_length = fields.Integer(required=True)


class LedgerPartySchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class LedgerAmountSchema(Schema):
    value = JsonNumber(required=True)
    currency = fields.String(required=True)
    equivalent = fields.Dict(required=True, allow_none=True, metadata={
        "description": "The same pledge in another currency as a source stated it ({value, currency}), else null"})


class LedgerArticleRefSchema(Schema):
    article_id = fields.Integer(required=True)
    url = fields.String(required=True, allow_none=True)
    published_at = fields.String(required=True, allow_none=True, metadata={"format": "date"})
    evidence = fields.String(required=True)


class LedgerSourceSchema(LedgerArticleRefSchema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    amount_text = fields.String(required=True)


class LedgerPledgeSchema(Schema):
    id = fields.Integer(required=True)
    donor = fields.Nested(LedgerPartySchema, required=True)
    recipient = fields.Nested(LedgerPartySchema, required=True, allow_none=True)
    amount = fields.Nested(LedgerAmountSchema, required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    instrument = fields.String(required=True, validate=validate.OneOf(INSTRUMENTS))
    date = fields.String(required=True, allow_none=True, metadata={
        "format": "date", "description": "Earliest announcement date known (for a pledge known only "
                                         "from a later reference: the earliest such reference)"})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    known_from_reference_only = fields.Boolean(required=True)
    conflicts = fields.Dict(required=True, metadata={
        "description": "Fields on which the sources disagree: field → the values they gave"})
    sources = fields.List(fields.Nested(LedgerSourceSchema), required=True)


class ArticleResponseSchema(Schema):
    article = fields.Nested(LedgerArticleSchema, required=True)
    pledges = fields.List(fields.Nested(LedgerPledgeSchema), required=True,
                          metadata={"description": "The ledger pledges this article's mentions are linked to"})


class PledgeQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE
    donor = fields.String(validate=validate.Length(max=16))
    recipient = fields.String(validate=validate.Length(max=16))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    status = fields.String(validate=validate.OneOf(STATUSES))
    date_from = fields.Date()
    date_to = fields.Date()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    cursor = fields.String(validate=validate.Regexp(r"^[0-9]{1,18}$"), metadata={
        "pattern": "^[0-9]{1,18}$", "description": "next_cursor of the previous page"})


class PledgePageSchema(Schema):
    items = fields.List(fields.Nested(LedgerPledgeSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class CurrencySumSchema(Schema):
    currency = fields.String(required=True, metadata={"description": "ISO 4217", "example": "AUD"})
    sum = JsonNumber(required=True, metadata={
        "description": "Sum of the donor's ledger pledges (new or previously announced) in this currency"})
    pledge_count = fields.Integer(required=True)
    sum_usd = JsonNumber(allow_none=True, metadata={
        "description": "Only with FX_RATES_FILE: the sum in US dollars, each pledge at its own date's rate; "
                       "null unless every pledge in it could be converted"})
    sum_eur = JsonNumber(allow_none=True, metadata={"description": "Only with FX_RATES_FILE: the same in euros"})


class RunningTotalSchema(Schema):
    date = fields.String(required=True, allow_none=True, metadata={
        "format": "date", "description": "The date the text gives, else the article's publication date"})
    amount = JsonNumber(required=True, metadata={"description": "The running total as stated",
                                                 "example": 100000000})
    currency = fields.String(required=True, metadata={"description": "ISO 4217"})
    source = fields.Nested(LedgerArticleRefSchema, required=True, metadata={
        "description": "The article that states it, and its sentence"})


class DonorSummarySchema(Schema):
    donor = fields.Nested(LedgerPartySchema, required=True)
    pledge_count = fields.Integer(required=True, metadata={"description": "Ledger pledges of this donor"})
    sums = fields.List(fields.Nested(CurrencySumSchema), required=True, metadata={
        "description": "Per currency (alphabetical); running totals are never added in"})
    sum_usd = JsonNumber(allow_none=True, metadata={
        "description": "Only with FX_RATES_FILE: every pledge in US dollars at its own date's rate; "
                       "null unless every one could be converted"})
    sum_eur = JsonNumber(allow_none=True, metadata={"description": "Only with FX_RATES_FILE: the same in euros"})
    unconverted_count = fields.Integer(metadata={
        "description": "Only with FX_RATES_FILE: pledges with no usable rate (currency not in the file, "
                       "no date, no rate within 7 days before it)"})
    running_totals = fields.List(fields.Nested(RunningTotalSchema), required=True, metadata={
        "description": "Running totals the articles state ('bringing its total to ...'), by date"})


# ---------------------------------------------------------------- POST /v1/articles/batch

class ArticleBatchRequestSchema(RequestSchema):
    articles = ValidatedEach(fields.Nested(ArticleRequestSchema), required=True,
                             validate=validate.Length(min=1), metadata={
                                 "description": "The articles, each as POST /v1/articles takes it; at most "
                                                "MAX_BATCH_DOCUMENTS (default 100). An invalid article gets its "
                                                "own error; the others are still ingested."})


class ArticleBatchItemSchema(Schema):
    index = fields.Integer(required=True, metadata={"description": "The article's position in `articles`"})
    ok = fields.Boolean(required=True)
    status = fields.Integer(required=True, metadata={
        "description": "What POST /v1/articles would have answered: 201 new, 200 already known, "
                       "else the error's status"})
    result = fields.Nested(ArticleResponseSchema, metadata={"description": "Present when ok"})
    error = fields.Nested(ProblemSchema, metadata={"description": "Present when not ok"})


class ArticleBatchMetaSchema(Schema):
    article_count = fields.Integer(required=True)
    created_count = fields.Integer(required=True, metadata={"description": "New articles (and new revisions)"})
    known_count = fields.Integer(required=True, metadata={"description": "Articles the ledger already had"})
    error_count = fields.Integer(required=True)
    elapsed_ms = fields.Float(required=True)


class ArticleBatchResponseSchema(Schema):
    results = fields.List(fields.Nested(ArticleBatchItemSchema), required=True,
                          metadata={"description": "One per article, in request order"})
    meta = fields.Nested(ArticleBatchMetaSchema, required=True)
