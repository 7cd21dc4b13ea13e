"""Engine results (dataclasses from service.engine.types) → JSON-ready dicts.

The shapes are the API's response schemas, so the HTTP answer, the CLI and batch jobs all
write the same JSON; amounts are exact JSON numbers, never strings.
"""
from __future__ import annotations

import time
from datetime import date
from typing import Iterable, Optional

from . import diagnostics
from .api.schemas import AmountSchema, ExtractResponseSchema
from .engine.types import Extraction, Money

_EXTRACT = ExtractResponseSchema()
_AMOUNTS = AmountSchema(many=True)


def engine_version() -> str:
    from . import __version__, engine
    return str(getattr(engine, "__version__", __version__))


def extraction_payload(extraction: Extraction, *, text_length: int, published_at: Optional[date],
                       elapsed_ms: float, source_url: Optional[str] = None, text: Optional[str] = None) -> dict:
    """The /v1/extract body as objects (not yet dumped): what the view hands to its schema."""
    return {
        "pledges": list(extraction.pledges),
        "totals": list(extraction.totals),
        "meta": {
            "engine_version": engine_version(),
            "published_at": published_at.isoformat() if published_at else None,
            "source_url": source_url,
            "text_length": text_length,
            "pledge_count": len(extraction.pledges),
            "total_count": len(extraction.totals),
            "elapsed_ms": round(elapsed_ms, 3),
            "warnings": diagnostics.warnings_for(text, len(extraction.pledges)) if text is not None else [],
        },
    }


def run_extraction(text: str, published_at: Optional[date] = None,
                   source_url: Optional[str] = None) -> dict:
    """Run the engine on *text* and return the payload, with the engine's time in meta."""
    from . import engine  # looked up at call time so tests can substitute the engine
    started = time.perf_counter()
    extraction = engine.extract_pledges(text, published_at=published_at)
    elapsed_ms = (time.perf_counter() - started) * 1000
    return extraction_payload(extraction, text_length=len(text), published_at=published_at,
                              elapsed_ms=elapsed_ms, source_url=source_url, text=text)


def extraction_to_dict(extraction: Extraction, *, text: str, published_at: Optional[date] = None,
                       elapsed_ms: float = 0.0, source_url: Optional[str] = None) -> dict:
    """JSON-ready dict of an Extraction, exactly as POST /v1/extract answers it."""
    return _EXTRACT.dump(extraction_payload(extraction, text_length=len(text), published_at=published_at,
                                            elapsed_ms=elapsed_ms, source_url=source_url, text=text))


def amounts_to_list(amounts: Iterable[Money]) -> list[dict]:
    """JSON-ready dicts of the money stage's findings, as POST /v1/amounts answers them."""
    return _AMOUNTS.dump(list(amounts))
