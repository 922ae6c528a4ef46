"""Scrapy items: plain dataclasses. Spiders yield them; the pipelines clean, check and store them."""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Post, QuarantineRecord
from ..storage.base import ImportedFile


@dataclass
class PostItem:
    """One forum post or feed entry. ``html`` is the raw body; the clean-text pipeline fills ``post.text``."""

    post: Post
    html: str = ""


@dataclass
class ThreadDoneItem:
    """All pages of a thread have been yielded: the store pipeline records its high-water mark
    (after storing the posts before it, so a crash never marks a thread done too early)."""

    state_key: str
    state_value: str


@dataclass
class QuarantineItem:
    record: QuarantineRecord


@dataclass
class FileDoneItem:
    """An export file has been read to the end: the store pipeline enters it in the import ledger
    (after storing its posts, so a crash midway re-reads it without losing or duplicating posts)."""

    imported: ImportedFile
