"""WeChat group conversations for the eight weeks: chatter plus the story lines, as plain records.

Nothing here writes files; :mod:`.memotrace` and :mod:`.pywxdump` turn the records into exports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import textgen
from .org import DemoGroup
from .people import Person, make_people
from .phrases import canteen, chatter, skills, wages
from .weeks import burst, random_time

#: Message kinds that carry a worker's own words.
TEXT_KINDS = ("text", "quote")
#: Message kinds an import turns into posts (text, quoted replies and shared link cards).
POST_KINDS = ("text", "quote", "link")

SELF = Person(
    wxid="wxid_hy8gonghui2024", real_name="周敏", nickname="工会小周", remark="", short="小周"
)


@dataclass(frozen=True, slots=True)
class LinkCard:
    """An official-account article shared into a group."""

    title: str
    des: str
    url: str
    account: str
    gh_id: str
    when: datetime
    story: str = "chatter"


@dataclass(slots=True)
class ChatMessage:
    group: DemoGroup
    when: datetime
    kind: str  # text | quote | link | image | sticker | system | pat | join | recall
    text: str = ""
    sender: Person | None = None  # None for system rows
    story: str = ""  # wages | canteen | skills | chatter for text kinds
    quoted: ChatMessage | None = None
    link: LinkCard | None = None
    svrid: int = 0
    flags: tuple[str, ...] = field(default=())  # "high_risk", "phone", "repost"

    @property
    def is_self(self) -> bool:
        return self.sender is SELF

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def is_post(self) -> bool:
        return self.kind in POST_KINDS


#: Story posts per week (index 0 = week 1) across all groups where the story line surfaces.
CHAT_PLAN: dict[str, tuple[int, ...]] = {
    "wages": (0, 0, 0, 0, 8, 14, 146, 40),
    "canteen": (0, 0, 40, 34, 10, 0, 0, 0),
    "skills": (12, 14, 13, 15, 12, 14, 11, 14),
}
#: Week 7 wage posts of these kinds (exact counts, so the demo always shows them).
WAGE_HIGH_RISK = 10
WAGE_PHONE = 6
#: Day-of-week weights of the wage spike (Mon … Sun).
SPIKE_DAYS = (0.6, 1.0, 1.6, 2.0, 1.4, 0.8, 0.6)


def _people_for(rng: random.Random, groups: tuple[DemoGroup, ...]) -> dict[str, list[Person]]:
    """Active posters per group; groups of one mine share people (the same worker posts in several)."""
    by_mine: dict[str, list[Person]] = {}
    out: dict[str, list[Person]] = {}
    for g in groups:
        pool = by_mine.setdefault(g.mine, make_people(rng, 140))
        if g.team:
            local = make_people(rng, 12, g.team)
            pool_for_group = local + rng.sample(pool, min(len(pool), max(8, g.members // 4)))
        else:
            pool_for_group = rng.sample(pool, min(len(pool), max(20, g.members // 4)))
        out[g.chat_id] = pool_for_group
    skills_group = next((g for g in groups if g.mine == "集团"), None)
    if skills_group is not None:
        everyone = [p for mine, ps in by_mine.items() if mine != "集团" for p in ps]
        out[skills_group.chat_id] = rng.sample(everyone, 45)
    return out


def _speaker(rng: random.Random, people: list[Person]) -> Person:
    # A few talk a lot, most rarely: weights fall off with the index.
    return rng.choices(people, weights=[1.0 / (i + 1) ** 0.8 for i in range(len(people))])[0]


def _slots(rng: random.Random, group: DemoGroup, people: list[Person]) -> dict:
    a, b = rng.sample(people, 2)
    return {"who": a.short, "who2": b.short, "team": group.team or "咱们队", "mine": group.mine,
            "dish": canteen.DISHES}


class _GroupBuilder:
    def __init__(self, rng: random.Random, group: DemoGroup, people: list[Person]):
        self.rng, self.group, self.people = rng, group, people
        self.messages: list[ChatMessage] = []

    def say(self, when: datetime, text: str, story: str, *, sender: Person | None = None,
            quote: bool = False, flags: tuple[str, ...] = ()) -> None:
        self.messages.append(ChatMessage(
            group=self.group, when=when, kind="quote" if quote else "text", text=text,
            sender=sender or _speaker(self.rng, self.people), story=story, flags=flags,
        ))

    def conversation(self, day: date) -> None:
        rng = self.rng
        topic = rng.choices(list(chatter.TOPIC_WEIGHTS), weights=list(chatter.TOPIC_WEIGHTS.values()))[0]
        pool = chatter.TOPICS[topic]
        n = rng.choices((1, 2, 3, 4, 5), weights=(30, 30, 20, 12, 8))[0]
        times = burst(rng, random_time(rng, day), n)
        opener_self = topic in ("safety", "assistance", "benefits") and rng.random() < 0.12
        for i, when in enumerate(times):
            if i == 0:
                text = textgen.fill(rng.choice(pool), rng, _slots(rng, self.group, self.people))
                self.say(when, textgen.perturb(text, rng), "chatter", sender=SELF if opener_self else None)
            else:
                line = rng.choice(pool) if rng.random() < 0.45 else rng.choice(chatter.REPLIES)
                text = textgen.perturb(textgen.fill(line, rng, _slots(rng, self.group, self.people)), rng)
                self.say(when, text, "chatter", quote=rng.random() < 0.08)

    def story_post(self, when: datetime, story: str, template: str, *, mood: str,
                   flags: tuple[str, ...] = ()) -> None:
        rng = self.rng
        slots = _slots(rng, self.group, self.people)
        text = textgen.fill(template, rng, slots)
        if "repost" not in flags:
            text = textgen.perturb(text, rng, mood=mood)
        self.say(when, text, story, quote=rng.random() < 0.12 and "repost" not in flags, flags=flags)

    def sprinkle(self, day: date) -> None:
        """Images, stickers and system rows."""
        rng = self.rng
        for _ in range(rng.choices((0, 1, 2), weights=(55, 35, 10))[0]):
            self.messages.append(ChatMessage(self.group, random_time(rng, day), "image",
                                             sender=_speaker(rng, self.people)))
        for _ in range(rng.choices((0, 1, 2), weights=(50, 38, 12))[0]):
            self.messages.append(ChatMessage(self.group, random_time(rng, day), "sticker",
                                             sender=_speaker(rng, self.people)))
        r = rng.random()
        if r < 0.05:
            a, b = rng.sample(self.people, 2)
            self.messages.append(ChatMessage(
                self.group, random_time(rng, day), "join", text=f'"{a.nickname}"邀请"{b.nickname}"加入了群聊'))
        elif r < 0.10:
            a = _speaker(rng, self.people)
            self.messages.append(ChatMessage(
                self.group, random_time(rng, day), "recall", text=f'"{a.nickname}" 撤回了一条消息'))
        elif r < 0.17:
            a, b = rng.sample(self.people, 2)
            self.messages.append(ChatMessage(
                self.group, random_time(rng, day), "pat", text=f'"{a.nickname}" 拍了拍 "{b.nickname}"'))

    def share(self, card: LinkCard) -> None:
        when = card.when + timedelta(minutes=self.rng.randint(20, 600))
        self.messages.append(ChatMessage(self.group, when, "link", text=card.title, story=card.story,
                                         sender=_speaker(self.rng, self.people), link=card))

    def finish(self) -> list[ChatMessage]:
        """Sort, make times strictly increasing, resolve quotes, assign server ids."""
        rng = self.rng
        msgs = sorted(self.messages, key=lambda m: m.when)
        for prev, m in zip(msgs, msgs[1:]):
            if m.when <= prev.when:
                m.when = prev.when + timedelta(seconds=rng.randint(1, 40))
        recent: list[ChatMessage] = []
        for m in msgs:
            m.svrid = rng.randrange(10**18, 9 * 10**18)
            if m.kind == "quote":
                candidates = [r for r in recent[-8:] if r.sender is not m.sender]
                same = [r for r in candidates if r.story == m.story]
                target = (same or candidates or [None])[-1 if rng.random() < 0.6 else 0]
                if target is None:
                    m.kind = "text"
                else:
                    m.quoted = target
            if m.is_text:
                recent.append(m)
        return msgs


def _story_template(rng: random.Random, story: str, week: int) -> tuple[str, str]:
    """A (template, mood) for one story post in ``week`` (1…8)."""
    if story == "wages":
        if week <= 6:
            return rng.choice(wages.GRUMBLE), "neutral"
        if week == 7:
            pool = rng.choices((wages.ANGRY, wages.SARCASM, wages.GRUMBLE), weights=(70, 15, 15))[0]
            return rng.choice(pool), "angry"
        pool = wages.PARTIAL if rng.random() < 0.8 else wages.ANGRY
        return rng.choice(pool), "neutral"
    if story == "canteen":
        if week <= 4:
            pool = canteen.COMPLAINTS if rng.random() < 0.85 else canteen.SARCASM
            return rng.choice(pool), "angry"
        return rng.choice(canteen.IMPROVED), "happy"
    return rng.choice(skills.POSITIVE), "happy"


def _spread(rng: random.Random, total: int, keys: list, weights: list[float]) -> dict:
    counts = {k: 0 for k in keys}
    for k in rng.choices(keys, weights=weights, k=total):
        counts[k] += 1
    return counts


def build_chats(
    rng: random.Random,
    groups: tuple[DemoGroup, ...],
    mondays: list[date],
    links: list[LinkCard],
) -> dict[str, list[ChatMessage]]:
    """All messages of every group, oldest first, keyed by chat id."""
    people = _people_for(rng, groups)
    builders = {g.chat_id: _GroupBuilder(rng, g, people[g.chat_id]) for g in groups}
    days = [m + timedelta(days=i) for m in mondays for i in range(7)]
    for g in groups:
        b = builders[g.chat_id]
        for day in days:
            weekend = day.weekday() >= 5
            lam = g.activity * (0.7 if weekend else 1.0)
            n = sum(1 for _ in range(6) if rng.random() < lam / 6 * 1.35)
            for _ in range(n):
                b.conversation(day)
            b.sprinkle(day)
    for story, per_week in CHAT_PLAN.items():
        story_groups = [g for g in groups if story in g.stories]
        weights = [3.0 if g.team else 2.0 for g in story_groups]
        for week, total in enumerate(per_week, start=1):
            if not total:
                continue
            monday = mondays[week - 1]
            day_weights = SPIKE_DAYS if (story == "wages" and week == 7) else (1, 1, 1, 1, 1, 0.8, 0.7)
            flags_queue: list[tuple[str, ...]] = []
            if story == "wages" and week == 7:
                flags_queue = [("high_risk",)] * WAGE_HIGH_RISK + [("phone",)] * WAGE_PHONE
            per_group = _spread(rng, total, story_groups, weights)
            for g, count in per_group.items():
                b = builders[g.chat_id]
                per_day = _spread(rng, count, list(range(7)), list(day_weights))
                for d, k in per_day.items():
                    if not k:
                        continue
                    day = monday + timedelta(days=d)
                    remaining = k
                    while remaining:
                        size = min(remaining, rng.randint(1, 6))
                        remaining -= size
                        for when in burst(rng, random_time(rng, day), size, max_gap_s=600):
                            flags: tuple[str, ...] = ()
                            if flags_queue and rng.random() < 0.2:
                                flags = flags_queue.pop()
                            if "high_risk" in flags:
                                template, mood = rng.choice(wages.HIGH_RISK), "angry"
                            elif "phone" in flags:
                                template, mood = rng.choice(wages.WITH_PHONE), "angry"
                            else:
                                template, mood = _story_template(rng, story, week)
                            b.story_post(when, story, template, mood=mood, flags=flags)
            # Whatever flagged posts were not placed go to the busiest group's busiest day.
            for flags in flags_queue:
                g = max(per_group, key=per_group.get)
                template = rng.choice(wages.HIGH_RISK if "high_risk" in flags else wages.WITH_PHONE)
                builders[g.chat_id].story_post(random_time(rng, monday + timedelta(days=3)), story,
                                               template, mood="angry", flags=flags)
    _reposts(rng, groups, builders, mondays[6])
    for card in links:
        targets = _link_targets(rng, groups, card)
        for g in targets:
            builders[g.chat_id].share(card)
    return {cid: b.finish() for cid, b in builders.items()}


def _reposts(rng: random.Random, groups, builders, monday: date) -> None:
    """Week 7: each long complaint pasted into three or four wage groups with small edits."""
    wage_groups = [g for g in groups if "wages" in g.stories]
    for i, template in enumerate(wages.REPOSTS):
        base = textgen.fill(template, rng, {"months": "三"})
        first = random_time(rng, monday + timedelta(days=1 + i % 4))
        for j, g in enumerate(rng.sample(wage_groups, rng.choice((3, 4)))):
            text = base if j == 0 else textgen.repost_variant(base, rng)
            when = first + timedelta(minutes=rng.randint(3, 90) * j)
            builders[g.chat_id].story_post(when, "wages", text.replace("{", "{{").replace("}", "}}"),
                                           mood="angry", flags=("repost",))


def _link_targets(rng: random.Random, groups: tuple[DemoGroup, ...], card: LinkCard) -> list[DemoGroup]:
    relevant = [g for g in groups if card.story in g.stories] or [g for g in groups if g.configured]
    return rng.sample(relevant, min(len(relevant), rng.randint(1, 3)))

