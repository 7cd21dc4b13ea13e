"""Ingest an article into the ledger: extract, store its mentions, link each to a ledger pledge.

One transaction per article: a worker killed half way leaves nothing of it. Linking is
serialised per donor: on PostgreSQL each article takes a transaction-scoped advisory lock per
donor it touches (sorted, so two articles never wait on each other in a cycle) before it reads
the donor's pledges; SQLite's writers already queue on BEGIN IMMEDIATE. So the same pledge told
as "A$70 million (US$50 million)" and as "US$50 million" by two workers at once -- two different
dedup keys, which the unique key alone cannot make collide -- still ends as one pledge. The
unique key stays as the backstop: a collision there rolls the article back and it is retried.
"""
from __future__ import annotations

import hashlib
import zlib
from datetime import date
from decimal import Decimal
from typing import Optional

from sqlalchemy import delete, select, text as sql
from sqlalchemy.exc import IntegrityError, OperationalError

from . import rules
from .models import Article, DonorTotal, Mention, Pledge

MAX_ATTEMPTS = 6
# pg_advisory_xact_lock(namespace, key): the two-int4 key space, apart from the migrations' bigint lock
DONOR_LOCK_NAMESPACE = 1212


def _donor_lock_key(code: str) -> int:
    key = zlib.crc32(code.encode("utf-8"))
    return key - 2 ** 32 if key >= 2 ** 31 else key  # a signed int4 (a collision only serialises more)


def lock_donors(session, codes) -> None:
    """Until the transaction ends, no other article links a mention of these donors (PostgreSQL;
    SQLite transactions are already one writer at a time)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for code in sorted(set(codes)):
        session.execute(sql("SELECT pg_advisory_xact_lock(:ns, :key)"),
                        {"ns": DONOR_LOCK_NAMESPACE, "key": _donor_lock_key(code)})


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _facts_of_pledge(p: Pledge) -> rules.Facts:
    eq = (p.equivalent_currency, Decimal(p.equivalent_value)) if p.equivalent_currency else None
    return rules.Facts(p.donor_code, p.recipient_code, p.currency, Decimal(p.value), eq, None,
                       p.status, p.date, p.known_from_reference_only)


def _mention_facts(x, published_at: Optional[date]) -> rules.Facts:
    eq = x.amount.equivalent
    equivalent = (eq.currency, eq.value) if eq is not None and eq.value is not None and eq.currency else None
    when = date.fromisoformat(x.date) if x.date else published_at
    return rules.Facts(x.donor.code, x.recipient.code if x.recipient else None, x.amount.currency,
                       x.amount.value, equivalent, x.amount.qualifier, x.status, when)


def refresh(session, pledge: Pledge) -> None:
    """Re-derive a pledge's fields from its mentions (most explicit wins; disagreements kept)."""
    rows = session.execute(select(Mention, Article.published_at).join(Article)
                           .where(Mention.pledge_id == pledge.id)).all()
    if not rows:
        session.delete(pledge)
        return
    mentions = [m for m, _ in rows]
    new = [(m.date or pub) for m, pub in rows if m.status != "previously_announced"]
    refs = [(m.date or pub) for m, pub in rows if m.status == "previously_announced"]
    pledge.known_from_reference_only = not new
    dates = [d for d in (new or refs) if d]
    pledge.date = min(dates) if dates else None
    pledge.status = "new" if new else "previously_announced"
    conflicts = {}
    recipient, disagree = rules.most_explicit(m.recipient_code for m in mentions)
    if recipient:
        pledge.recipient_code = recipient
        pledge.recipient_name = next(m.recipient_name for m in mentions if m.recipient_code == recipient)
    if disagree:
        conflicts["recipient"] = disagree
    pledge.category, disagree = rules.most_explicit((m.category for m in mentions), rules.CATEGORY_RANK)
    pledge.category = pledge.category or "unspecified"
    if disagree:
        conflicts["category"] = disagree
    pledge.instrument, disagree = rules.most_explicit(m.instrument for m in mentions)
    pledge.instrument = pledge.instrument or "unspecified"
    if disagree:
        conflicts["instrument"] = disagree
    explicit_dates = sorted({m.date.isoformat() for m in mentions if m.date and m.status != "previously_announced"})
    if len(explicit_dates) > 1:
        conflicts["date"] = explicit_dates
    with_eq = next((m for m in mentions if m.equivalent_currency), None)
    if with_eq is not None:  # the source that stated both figures says which one is the original
        pledge.currency, pledge.value = with_eq.currency, with_eq.value
        pledge.equivalent_currency, pledge.equivalent_value = with_eq.equivalent_currency, with_eq.equivalent_value
    pledge.source_count = len({m.article_id for m in mentions})
    pledge.conflicts = conflicts


def _ingest_once(session, text: str, published_at: Optional[date], url: Optional[str], source, external_id,
                 store_text: bool, extraction=None):
    digest = sha256(text)
    known = session.scalar(select(Article).where(Article.content_sha256 == digest))
    if known is not None:
        return known, False, _pledges_of(session, known)
    article = session.scalar(select(Article).where(Article.url == url)) if url else None
    touched: set[int] = set()
    old_donors: set[str] = set()
    if article is not None:  # a new revision: its old mentions go
        old_donors = set(session.scalars(select(Mention.donor_code).where(Mention.article_id == article.id)))
        touched |= set(session.scalars(select(Mention.pledge_id).where(Mention.article_id == article.id)))
        session.execute(delete(Mention).where(Mention.article_id == article.id))
        session.execute(delete(DonorTotal).where(DonorTotal.article_id == article.id))
        article.revision += 1
    else:
        article = Article(url=url, revision=1)
        session.add(article)
    article.content_sha256, article.published_at = digest, published_at
    article.source, article.external_id, article.text_length = source, external_id, len(text)
    article.text = text if store_text else None
    session.flush()
    if extraction is None:
        from .. import engine
        extraction = engine.extract_pledges(text, published_at=published_at)
    lock_donors(session, old_donors | {x.donor.code for x in extraction.pledges})
    linked: set[int] = set()
    for position, x in enumerate(extraction.pledges):
        if x.amount.value is None or not x.amount.currency:
            continue
        evidence = x.evidence[0] if x.evidence else None
        if x.status == "total":
            session.add(DonorTotal(article_id=article.id, donor_code=x.donor.code, donor_name=x.donor.name,
                                   recipient_code=x.recipient.code if x.recipient else None,
                                   currency=x.amount.currency, value=f"{x.amount.value.normalize():f}",
                                   date=date.fromisoformat(x.date) if x.date else published_at,
                                   evidence=evidence.text if evidence else ""))
            continue
        facts = _mention_facts(x, published_at)
        currencies = {c for c, _ in facts.amounts()}
        candidates = session.scalars(select(Pledge).where(
            Pledge.donor_code == facts.donor,
            (Pledge.currency.in_(currencies)) | (Pledge.equivalent_currency.in_(currencies)))).all()
        pledge = rules.choose(facts, [(p, _facts_of_pledge(p)) for p in candidates if p.id not in linked])
        if pledge is None:
            key = rules.dedup_key(facts.donor, facts.recipient, facts.currency, facts.value)
            slots = session.scalars(select(Pledge.dedup_slot).where(Pledge.dedup_key == key)).all()
            pledge = Pledge(dedup_key=key, dedup_slot=max(slots, default=-1) + 1, donor_code=x.donor.code,
                            donor_name=x.donor.name, donor_type=x.donor.type, currency=facts.currency,
                            value=f"{facts.value.normalize():f}", status=x.status, date=facts.date,
                            known_from_reference_only=x.status == "previously_announced",
                            category=x.category, instrument=x.instrument, conflicts={})
            session.add(pledge)
            session.flush()  # the unique key: a concurrent twin raises IntegrityError here
        linked.add(pledge.id)
        touched.add(pledge.id)
        eq = facts.equivalent
        session.add(Mention(article_id=article.id, pledge_id=pledge.id, position=position,
                            donor_code=x.donor.code, donor_name=x.donor.name,
                            recipient_code=facts.recipient, recipient_name=x.recipient.name if x.recipient else None,
                            currency=facts.currency, value=f"{facts.value.normalize():f}",
                            amount_text=x.amount.text[:200], qualifier=x.amount.qualifier,
                            currency_assumed=x.amount.currency_assumed,
                            equivalent_currency=eq[0] if eq else None,
                            equivalent_value=f"{eq[1].normalize():f}" if eq else None,
                            category=x.category, instrument=x.instrument,
                            date=date.fromisoformat(x.date) if x.date else None, status=x.status,
                            evidence=evidence.text if evidence else "",
                            evidence_start=evidence.start if evidence else 0,
                            evidence_end=evidence.end if evidence else 0, confidence=x.confidence))
    session.flush()
    for pledge_id in touched:
        pledge = session.get(Pledge, pledge_id)
        if pledge is not None:
            refresh(session, pledge)
    session.flush()
    return article, True, [session.get(Pledge, i) for i in sorted(linked)]


def known_article_id(ledger, text: str) -> Optional[int]:
    """The id of the article holding exactly this text, else None (a cheap check before the engine runs)."""
    with ledger.session() as session:
        return session.scalar(select(Article.id).where(Article.content_sha256 == sha256(text)))


def _pledges_of(session, article: Article) -> list[Pledge]:
    ids = select(Mention.pledge_id).where(Mention.article_id == article.id)
    return list(session.scalars(select(Pledge).where(Pledge.id.in_(ids)).order_by(Pledge.id)))


def ingest_article(ledger, text: str, published_at: Optional[date] = None, url: Optional[str] = None,
                   source: Optional[str] = None, external_id: Optional[str] = None, extraction=None):
    """(article, created, pledges touched), committed; retried when a concurrent ingest collided."""
    for attempt in range(MAX_ATTEMPTS):
        session = ledger.session()
        try:
            with session.begin():
                result = _ingest_once(session, text, published_at, url, source, external_id,
                                      ledger.store_text, extraction)
            return result
        except (IntegrityError, OperationalError):
            if attempt == MAX_ATTEMPTS - 1:
                raise
        finally:
            session.close()


def delete_article(ledger, article_id: int) -> bool:
    """Retract an article: its mentions go, and a pledge left with no source goes too."""
    session = ledger.session()
    with session.begin():
        article = session.get(Article, article_id)
        if article is None:
            return False
        lock_donors(session, session.scalars(select(Mention.donor_code).where(Mention.article_id == article_id)))
        touched = set(session.scalars(select(Mention.pledge_id).where(Mention.article_id == article_id)))
        session.execute(delete(Mention).where(Mention.article_id == article_id))
        session.execute(delete(DonorTotal).where(DonorTotal.article_id == article_id))
        session.delete(article)
        session.flush()
        for pledge_id in touched:
            refresh(session, session.get(Pledge, pledge_id))
    session.close()
    return True
