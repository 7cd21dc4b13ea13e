"""The ledger's tables (SQLAlchemy 2 declarative). Migrations in migrations/versions/ create them.

articles   one row per article (its latest revision): content hash, url, dates; text only with STORE_TEXT
mentions   one row per pledge the engine read in an article, linked to exactly one ledger pledge
pledges    the deduplicated ledger: fields derived from its mentions (rules.derive), unique dedup_key
donor_totals  running totals ("bringing its total to ..."): a per-donor time series, never summed
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, func)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[Optional[str]] = mapped_column(String(2048), unique=True)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    published_at: Mapped[Optional[date]] = mapped_column(Date)
    source: Mapped[Optional[str]] = mapped_column(String(200))
    external_id: Mapped[Optional[str]] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    text_length: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[Optional[str]] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    mentions: Mapped[list["Mention"]] = relationship(back_populates="article", cascade="all, delete-orphan",
                                                     passive_deletes=True)


class Pledge(Base):
    __tablename__ = "pledges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # (donor|recipient|currency|value, slot) is unique: two workers creating the same pledge at
    # the same time collide here, and the loser retries its article (store.ingest_article)
    dedup_key: Mapped[str] = mapped_column(String(300))
    dedup_slot: Mapped[int] = mapped_column(Integer, default=0)
    donor_code: Mapped[str] = mapped_column(String(16))
    donor_name: Mapped[str] = mapped_column(String(200))
    donor_type: Mapped[str] = mapped_column(String(20), default="country")
    recipient_code: Mapped[Optional[str]] = mapped_column(String(16))
    recipient_name: Mapped[Optional[str]] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(40))          # exact decimal, as text (no float anywhere)
    equivalent_currency: Mapped[Optional[str]] = mapped_column(String(8))
    equivalent_value: Mapped[Optional[str]] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(32), default="unspecified")
    instrument: Mapped[str] = mapped_column(String(32), default="unspecified")
    date: Mapped[Optional[date]] = mapped_column(Date)       # earliest announcement date known
    status: Mapped[str] = mapped_column(String(32), default="new")
    known_from_reference_only: Mapped[bool] = mapped_column(Boolean, default=False)
    source_count: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    mentions: Mapped[list["Mention"]] = relationship(back_populates="pledge")

    __table_args__ = (
        UniqueConstraint("dedup_key", "dedup_slot", name="uq_pledges_dedup"),
        Index("ix_pledges_donor_id", "donor_code", "id"),
        Index("ix_pledges_recipient_id", "recipient_code", "id"),
        Index("ix_pledges_date", "date"),
        Index("ix_pledges_donor_currency", "donor_code", "currency"),
        Index("ix_pledges_equivalent", "donor_code", "equivalent_currency"),
    )


class Mention(Base):
    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    donor_code: Mapped[str] = mapped_column(String(16))
    donor_name: Mapped[str] = mapped_column(String(200))
    recipient_code: Mapped[Optional[str]] = mapped_column(String(16))
    recipient_name: Mapped[Optional[str]] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(40))
    amount_text: Mapped[str] = mapped_column(String(200), default="")
    qualifier: Mapped[Optional[str]] = mapped_column(String(20))
    currency_assumed: Mapped[bool] = mapped_column(Boolean, default=False)
    equivalent_currency: Mapped[Optional[str]] = mapped_column(String(8))
    equivalent_value: Mapped[Optional[str]] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(32))
    instrument: Mapped[str] = mapped_column(String(32))
    date: Mapped[Optional[date]] = mapped_column(Date)          # the date the text gives, if any
    status: Mapped[str] = mapped_column(String(32))
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_start: Mapped[int] = mapped_column(Integer, default=0)
    evidence_end: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(default=0.5)
    article: Mapped[Article] = relationship(back_populates="mentions")
    pledge: Mapped[Pledge] = relationship(back_populates="mentions")

    __table_args__ = (Index("ix_mentions_pledge", "pledge_id"), Index("ix_mentions_article", "article_id"))


class DonorTotal(Base):
    __tablename__ = "donor_totals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    donor_code: Mapped[str] = mapped_column(String(16))
    donor_name: Mapped[str] = mapped_column(String(200))
    recipient_code: Mapped[Optional[str]] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(40))
    date: Mapped[Optional[date]] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_donor_totals_donor", "donor_code", "date"),
                      Index("ix_donor_totals_article", "article_id"))
