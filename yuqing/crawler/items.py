"""Scrapy items: plain dataclasses. Spiders yield them; the pipelines clean, check and store them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import ImportedFile, Post, QuarantineRecord


@dataclass
class PostItem:
    """One forum post or feed entry. ``html`` is the raw body; the clean-text pipeline fills ``post.text``."""

    post: Post
    html: str = ""


@dataclass
class PostStatusItem:
    """A post the forum shows without its text: ``hidden`` (banned by a moderator, author banned,
    awaiting review …) or ``deleted`` (a deleted floor), with the reason in Chinese."""

    source_id: str
    thread_id: str
    native_id: str
    status: str
    reason: str


@dataclass
class ThreadSeen:
    """What a read of a thread saw: the native ids of every post on the pages read (shown, hidden
    or deleted). ``since`` None: the thread was read whole; else only posts whose (numeric) native
    id is at least ``since`` were in view. A stored live post in view but not seen is gone."""

    source_id: str
    thread_id: str
    seen: list[str] = field(default_factory=list)
    since: int | None = None
    reason: str = "论坛上已删除"


@dataclass
class ThreadDoneItem:
    """All pages of a thread have been yielded: the store pipeline records its high-water mark
    (after storing the posts before it, so a crash never marks a thread done too early);
    ``seen``, when given, lets the changes pipeline mark posts that are gone as deleted."""

    state_key: str
    state_value: str
    seen: ThreadSeen | None = None


@dataclass
class QuarantineItem:
    record: QuarantineRecord


@dataclass
class FileDoneItem:
    """An export file has been read to the end: the store pipeline enters it in the import ledger
    (after storing its posts, so a crash midway re-reads it without losing or duplicating posts)."""

    imported: ImportedFile
