"""Assemble stage (placeholder until the pledge issue lands): returns no pledges, right shape."""
from __future__ import annotations

from .types import Extraction


def run(text, published_at=None) -> Extraction:
    return Extraction(pledges=(), totals=(), published_at=str(published_at) if published_at else None)
