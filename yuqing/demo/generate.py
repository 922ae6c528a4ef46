"""``generate_demo``: write the whole demo data set (config, exports, forum) and say what was written."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from . import memotrace, pywxdump
from .articles import build_articles, write_articles
from .chat import build_chats
from .configfile import render_config
from .forum import build_forum
from .forum_html import write_forum
from .ledger import Ledger, StoryPost
from .org import CANTEEN_MINE, GROUPS, MEMOTRACE, WAGE_UNIT
from .phrases.forum import BOARDS
from .weeks import TZ, at, check_end, default_end, iso_week, week_starts

MANIFEST_NAME = "demo_manifest.json"


@dataclass
class DemoManifest:
    """What :func:`generate_demo` wrote, with the counts a pipeline run should reproduce.

    Paths are absolute. ``file_counts`` maps a path relative to ``out_dir`` to message counts by
    kind (``text``, ``quote``, ``link``, ``image``, ``sticker``, ``join``, ``recall``, ``pat``; articles:
    ``article``, ``comment``, ``reply``; forum pages: ``posts``). ``posts_by_kind`` counts posts by
    source kind as an import stores them: WeChat text, quoted replies and shared link cards
    (images, stickers and system rows are skipped); article bodies; comments + the account's
    replies; forum posts. ``story_posts`` gives posts per story line for weeks 1…8 (all formats).
    """

    out_dir: Path
    config_path: Path
    memotrace_csvs: list[Path]
    pywxdump_jsons: list[Path]
    articles_json: Path
    forum_dir: Path
    gbk_pages: list[Path]
    end: date
    weeks: list[str]
    week7: str
    wage_unit: str
    canteen_unit: str
    pending_chat: dict[str, str]
    file_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    format_counts: dict[str, int] = field(default_factory=dict)
    posts_by_kind: dict[str, int] = field(default_factory=dict)
    story_posts: dict[str, list[int]] = field(default_factory=dict)
    wage_week7: dict[str, int] = field(default_factory=dict)  # high_risk, phone, repost posts in chats
    total_posts: int = 0

    def to_json(self) -> str:
        def conv(v):
            if isinstance(v, Path):
                return str(v)
            if isinstance(v, date):
                return v.isoformat()
            raise TypeError(type(v))

        return json.dumps(asdict(self), ensure_ascii=False, indent=2, default=conv)


def _today_shanghai() -> date:
    return datetime.now(TZ).date()


def generate_demo(out_dir: Path, *, end: date | None = None, seed: int = 7) -> DemoManifest:
    """Write the demo data set into ``out_dir`` and return its manifest.

    ``end`` is the Sunday that ends the eight weeks (default: the last Sunday strictly before today
    in Asia/Shanghai). The output depends only on ``(seed, end)``.
    """
    end = check_end(end or default_end(_today_shanghai()))
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"yuqing-demo:{seed}:{end.isoformat()}")
    mondays = week_starts(end)
    ledger = Ledger(end)

    config_path = out_dir / "yuqing.toml"
    config_path.write_text(render_config(seed), encoding="utf-8")

    exports = out_dir / "exports"
    articles = build_articles(rng, mondays)
    chats = build_chats(rng, GROUPS, mondays, [a.card for a in articles])
    file_counts: dict[str, dict[str, int]] = {}
    memotrace_csvs, pywxdump_jsons = [], []
    format_counts: Counter = Counter()
    for talker_id, g in enumerate(GROUPS, start=11):
        msgs = chats[g.chat_id]
        if g.fmt == MEMOTRACE:
            path, counts = memotrace.write_group(rng, exports / "MemoTrace", g, talker_id, msgs)
            memotrace_csvs.append(path)
        else:
            path, counts = pywxdump.write_group(rng, exports / "PyWxDump", g, msgs)
            pywxdump_jsons.append(path)
        file_counts[str(path.relative_to(out_dir))] = dict(sorted(counts.items()))
        format_counts[g.fmt] += counts["text"] + counts["quote"] + counts["link"]
        ledger.add("wechat_group", [StoryPost(m.story, m.when) for m in msgs if m.is_post])

    articles_json = write_articles(exports, articles)
    comments = [p for a in articles for p in a.posts]
    ledger.add("wechat_article", [StoryPost(a.story, a.when) for a in articles])
    ledger.add("wechat_comment", comments)
    n_replies = sum(len(c["reply_new"]["reply_list"]) for a in articles for c in a.record["comments"])
    file_counts[str(articles_json.relative_to(out_dir))] = {
        "article": len(articles), "comment": len(comments) - n_replies, "reply": n_replies,
    }
    format_counts["wechat_article_exporter"] = len(articles) + len(comments)

    forum_dir = out_dir / "forum"
    threads = build_forum(rng, mondays)
    now = at(end + timedelta(days=1), 10, 0)
    pages = write_forum(forum_dir, threads, now)
    for t in threads:
        ledger.add("forum", t.story_posts())
    for fid, (name, _) in BOARDS.items():
        file_counts[f"forum/{name}"] = {
            "threads": sum(1 for t in threads if t.fid == fid),
            "posts": sum(len(t.posts) for t in threads if t.fid == fid),
            "pages": len(pages[name]),
        }
    format_counts["discuz_html"] = sum(len(t.posts) for t in threads)
    gbk_name = next(name for name, charset in BOARDS.values() if charset == "gbk")

    pending = next(g for g in GROUPS if not g.configured)
    week7_msgs = [m for g in GROUPS for m in chats[g.chat_id] if m.story == "wages" and m.is_text]
    manifest = DemoManifest(
        out_dir=out_dir,
        config_path=config_path,
        memotrace_csvs=memotrace_csvs,
        pywxdump_jsons=pywxdump_jsons,
        articles_json=articles_json,
        forum_dir=forum_dir,
        gbk_pages=pages[gbk_name],
        end=end,
        weeks=[iso_week(m) for m in mondays],
        week7=iso_week(mondays[6]),
        wage_unit=WAGE_UNIT,
        canteen_unit=CANTEEN_MINE,
        pending_chat={"chat_id": pending.chat_id, "name": pending.name, "format": pending.fmt},
        file_counts=file_counts,
        format_counts=dict(format_counts),
        posts_by_kind=dict(ledger.by_kind),
        story_posts=ledger.story_weeks(),
        wage_week7={flag: sum(1 for m in week7_msgs if flag in m.flags) for flag in ("high_risk", "phone", "repost")},
        total_posts=sum(ledger.by_kind.values()),
    )
    (out_dir / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


