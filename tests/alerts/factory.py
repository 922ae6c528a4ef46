"""Stored posts with analyses, built in memory for the pure rule tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.schema import Analysis, Post, SourceKind, StoredPost

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)


def sp(i: int, text: str = "", *, hours: float = 0, unit: str = "M1", sentiment: str = "neutral",
       topic: str = "other", risk: str = "none", event: str = "", source: str = "src-a", likes: int = 0,
       replies: int = 0, keywords=()) -> StoredPost:
    post = Post(source_id=source, source_kind=SourceKind.WECHAT_GROUP, native_id=f"n{i}", text=text or f"消息{i}",
                created_at=T0 + timedelta(hours=hours), likes=likes, replies=replies)
    scores = {"negative": 0.9 if sentiment == "negative" else 0.05, "neutral": 0.05, "positive": 0.05}
    a = Analysis(post_id=post.id, sentiment=sentiment, sentiment_scores=scores, topic=topic, risk=risk,
                 keywords=list(keywords), event_id=event)
    return StoredPost(post=post, unit=unit, analysis=a)
