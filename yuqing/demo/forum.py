"""The demo forum's content: boards, threads and posts as plain records (no HTML here)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import textgen
from .ledger import StoryPost
from .people import ForumUser, forum_users
from .phrases import canteen, chatter, skills, wages
from .phrases.forum import SHORT_REPLIES, THREADS
from .weeks import at, random_time

TOPIC_POOLS: dict[str, tuple[list[str], str]] = {
    "wages": (wages.ANGRY + wages.SARCASM + wages.HIGH_RISK[:4] + wages.WITH_PHONE[:2], "angry"),
    "wages_ok": (wages.PARTIAL, "neutral"),
    "canteen": (canteen.COMPLAINTS + canteen.SARCASM, "angry"),
    "canteen_ok": (canteen.IMPROVED, "happy"),
    "skills": (skills.POSITIVE, "happy"),
    **{name: (pool, "neutral") for name, pool in chatter.TOPICS.items()},
}
POSTS_PER_PAGE = 10


@dataclass(slots=True)
class ForumPost:
    pid: int
    author: ForumUser
    when: datetime
    text: str
    story: str
    quote: ForumPost | None = None
    edited: datetime | None = None


@dataclass(slots=True)
class ForumThread:
    tid: int
    fid: int
    title: str
    story: str
    sticky: bool
    views: int
    posts: list[ForumPost] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return (len(self.posts) - 1) // POSTS_PER_PAGE + 1

    def story_posts(self) -> list[StoryPost]:
        return [StoryPost(p.story, p.when) for p in self.posts]


def _times(rng: random.Random, start: datetime, n: int, limit: datetime) -> list[datetime]:
    window = min(timedelta(days=rng.choice((1, 2, 3, 5))), max(limit - start, timedelta(hours=1)))
    offsets = sorted(rng.uniform(0, window.total_seconds()) for _ in range(n - 1))
    return [start] + [start + timedelta(seconds=int(o) + 30) for o in offsets]


def build_forum(rng: random.Random, mondays: list[date]) -> list[ForumThread]:
    users = forum_users(rng)
    limit = at(mondays[-1] + timedelta(days=6), 23, 59)
    threads: list[ForumThread] = []
    tid, pid = 3100, 52000
    for fid, week, wd, story, topic, n_posts, title in THREADS:
        tid += rng.randint(3, 40)
        pool, mood = TOPIC_POOLS[topic]
        start = random_time(rng, mondays[week - 1] + timedelta(days=wd))
        thread = ForumThread(tid, fid, title, story, sticky=title.startswith("【置顶】"),
                             views=n_posts * rng.randint(25, 90))
        author = rng.choice(users)
        for i, when in enumerate(_times(rng, start, n_posts, limit)):
            pid += rng.randint(1, 30)
            if i == 0:
                sentences = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
                text = "\n".join(textgen.fill(s, rng) for s in sentences)
                who = author
            else:
                line = rng.choice(SHORT_REPLIES) if rng.random() < 0.2 else textgen.fill(rng.choice(pool), rng)
                text = textgen.perturb(line, rng, mood=mood, rate=0.7)
                who = rng.choice(users)
            post = ForumPost(pid, who, when, text, story)
            if i > 1 and rng.random() < 0.15:
                post.quote = rng.choice(thread.posts[max(0, i - 4):i])
            if rng.random() < 0.06:
                post.edited = when + timedelta(minutes=rng.randint(2, 90))
            thread.posts.append(post)
        threads.append(thread)
    return threads
