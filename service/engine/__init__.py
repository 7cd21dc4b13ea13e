"""The extraction engine: a plain function of text and publication date.

    from service.engine import extract_pledges
    result = extract_pledges(text, published_at="2022-03-01")

No Flask in here, so batch jobs can call it directly.
"""
from __future__ import annotations

from datetime import date
from typing import Optional, Union

from .types import Extraction

__all__ = ["extract_pledges", "Extraction"]


def extract_pledges(text: str, published_at: Optional[Union[str, date]] = None) -> Extraction:
    """Return every aid pledge in *text* (stages: sentences → money → donors → triggers → dates → assemble)."""
    from .assemble import run  # imported lazily only to keep the stub importable while stages land
    return run(text, published_at)
