"""Counting what the generator wrote, per story line and week, so the manifest can state it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from .weeks import TZ, week_number

STORIES = ("wages", "canteen", "skills", "chatter")


@dataclass(frozen=True, slots=True)
class StoryPost:
    """One written post (a text message, an article, a comment, a forum post)."""

    story: str
    when: datetime


@dataclass(slots=True)
class Ledger:
    end: date
    by_story_week: Counter = field(default_factory=Counter)  # (story, week) → posts
    by_kind: Counter = field(default_factory=Counter)  # source kind → posts

    def add(self, kind: str, posts: list[StoryPost]) -> None:
        for p in posts:
            week = week_number(p.when.astimezone(TZ).date(), self.end)
            if week:
                self.by_story_week[(p.story, week)] += 1
            self.by_kind[kind] += 1

    def story_weeks(self) -> dict[str, list[int]]:
        return {s: [self.by_story_week[(s, w)] for w in range(1, 9)] for s in STORIES}
