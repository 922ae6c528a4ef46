"""The truth the official-account export fixtures are written from: one account with four articles
(one deleted), featured comments with likes and IP locations, and replies — including the
account's own replies, a reply to a reply, replies the comment list itself leaves out, and a
picture-only comment — as WeChat holds them (Unix-second times, the comment API's HTML-escaped
texts, WeChat emoji codes such as ``[强]``).

Each tool's fixture generator (``make_articles.py``) writes :func:`account` the way that tool's own
code writes it; :func:`expected` says which posts yuqing must store from a layout, given what the
layout preserves (a minute-precision page date, comment times only as 「06/04」, …), and
:func:`assert_exact` compares the store with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from yuqing.crawler.cleaning import clean_text
from yuqing.schema import SourceKind
from yuqing.storage import PostQuery

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, mo: int, d: int, h: int, mi: int, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=TZ)


@dataclass(frozen=True)
class Reply:
    reply_id: int
    nick: str
    text: str  # as the person typed it (the API returns it HTML-escaped: :func:`wx_escape`)
    at: datetime
    likes: int = 0
    province: str = ""
    by_account: bool = False  # the account's own reply (is_from 2, no IP location)
    to_nick: str = ""  # a reply to another reply: whom it answers
    openid: str = ""


@dataclass
class Comment:
    content_id: str
    nick: str
    text: str  # "" for a picture-only comment
    at: datetime
    likes: int = 0
    province: str = "山西"
    country: str = "中国"
    openid: str = ""
    replies: list[Reply] = field(default_factory=list)
    #: How many replies the comment list itself carries (``reply_new.reply_list``); the rest come
    #: only from the getcommentreply call. None: all of them.
    first_replies: int | None = None
    is_top: bool = False
    author_liked: bool = False
    picture: str = ""  # a picture-only comment's image URL

    @property
    def listed_replies(self) -> list[Reply]:
        return self.replies if self.first_replies is None else self.replies[:self.first_replies]


@dataclass
class Article:
    appmsgid: int
    itemidx: int
    sn: str
    title: str
    digest: str
    author: str  # "" when the page shows none
    paragraphs: list[str]
    drafted: datetime  # create_time
    published: datetime  # update_time: the exporter's 发布时间, the page's ct / oriCreateTime
    comments: list[Comment] = field(default_factory=list)
    original: bool = True
    deleted: bool = False
    read: int = 0
    old_like: int = 0
    share: int = 0
    like: int = 0
    comment_id: str = ""

    @property
    def aid(self) -> str:
        return f"{self.appmsgid}_{self.itemidx}"


@dataclass
class Account:
    name: str
    biz: str  # __biz, the exporter's fakeid
    user_name: str  # gh_…
    articles: list[Article]

    def link(self, a: Article) -> str:
        return (f"http://mp.weixin.qq.com/s?__biz={self.biz}&mid={a.appmsgid}&idx={a.itemidx}&sn={a.sn}"
                f"&chksm=97e1c3a0a096{a.appmsgid % 10000:04d}#rd")

    def live(self) -> list[Article]:
        return [a for a in self.articles if not a.deleted]


def wx_escape(text: str) -> str:
    """A text as WeChat's comment API returns it: HTML-escaped, spaces as ``&nbsp;``, newlines kept
    (real responses carry ``178&nbsp;哈牛逼99[Emm]``)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;").replace(" ", "&nbsp;"))


ACCOUNT_NAME = "红星煤业工会"


def account() -> Account:
    """The standard account (a fresh copy each call)."""
    name = ACCOUNT_NAME
    li = "掘进三队老李"
    a1 = Article(
        appmsgid=2247483801, itemidx=1, sn="5e0c2f7b8d1a4c6e9f3b2a1d0c9e8f7a", comment_id="4247234702597603332",
        title="“安全生产月”知识竞赛 & 抽奖活动开始啦🎉", digest="答对10题即可参加抽奖", author="工会宣传部",
        paragraphs=["各位工友：",
                    "本次竞赛题目涵盖<井下作业规程>与“手指口述”要点，答对 10 题即可参加抽奖 & 领取纪念品。",
                    "活动时间：6月3日—6月10日。[强]"],
        drafted=at(2025, 6, 3, 16, 2, 10), published=at(2025, 6, 3, 18, 30, 42),
        read=1532, old_like=20, share=30, like=12,
        comments=[
            Comment("7512078537222783054", li, '第5题"瓦斯浓度<1%"的答案有争议，能否复核？[疑问]', at(2025, 6, 3, 19, 2, 11),
                    likes=45, openid="owOYjs9L-saDR5vRUM0MyfqWWNks", is_top=True, first_replies=2, replies=[
                        Reply(1, name, "已转安全科复核，感谢指正！[抱拳]", at(2025, 6, 3, 20, 15), likes=12, by_account=True),
                        Reply(2, "通风区小王", "同问 & 顶一下", at(2025, 6, 4, 7, 41, 9), likes=3, province="陕西",
                              openid="owOYjs9AbLhu4iuLX_01KV5BnIyc"),
                        Reply(4, li, "谢谢支持，等复核结果", at(2025, 6, 4, 8, 0, 30), province="山西", to_nick="通风区小王",
                              openid="owOYjs9L-saDR5vRUM0MyfqWWNks"),
                    ]),
            Comment("10657231118979301445", "矿嫂😊", "希望奖品能寄到家属区\n另外食堂能不能延长开放时间？", at(2025, 6, 4, 12, 30),
                    likes=12, province="内蒙古", openid="owOYjs5qmQe_KD5nMF9ueAgZI04A", author_liked=True),
            Comment("4902550210258928215", "Mike Zhang", "PPE 装备 don't fit, 尺码太小 <_<", at(2025, 6, 5, 10, 0),
                    likes=2, province="", country="美国", openid="owOYjs3wNKi0hlTlvCoRRz7EwXbU"),
            # two people answering 「支持！」 in the same second
            Comment("11264289093745377298", "机电队张工", "支持！", at(2025, 6, 9, 21, 0, 5), openid="oHLtNwF4F5y1ZksIJd7gAo6leVcQ"),
            Comment("2141233504216678515", "综采队赵师傅", "支持！", at(2025, 6, 9, 21, 0, 5), openid="oHLtNwFG1XmgoY1-2xIV5tXiXj_E"),
        ])
    a2 = Article(
        appmsgid=2247483801, itemidx=2, sn="0b9a8c7d6e5f40312a3b4c5d6e7f8091", comment_id="4247234702597603333",
        title="井下温度<30℃的秘密：通风科普", digest="夏季通风知识", author="通风区",
        paragraphs=["夏季井下温度升高，通风是关键。", "温度 < 30℃ 时，按规程执行 & 记录。"],
        drafted=at(2025, 6, 3, 16, 5), published=at(2025, 6, 3, 18, 30, 42), read=800, old_like=5, share=4, like=3,
        comments=[
            Comment("2060963314233507963", "老通风", "讲得好，建议多出几期", at(2025, 6, 3, 21, 10), likes=8,
                    openid="owOYjs0aaaaaaaaaaaaaaaaaaaaa", replies=[
                        Reply(1, name, "收到，下期讲局部通风机", at(2025, 6, 4, 9, 0), likes=2, by_account=True)]),
            Comment("11529616367812608359", "小刘", "", at(2025, 6, 3, 22, 0), likes=1, openid="owOYjs0bbbbbbbbbbbbbbbbbbbbb",
                    picture="https://mmbiz.qpic.cn/mmbiz_jpg/comment_pic_01/0?wx_fmt=jpeg"),
        ])
    a3 = Article(
        appmsgid=2247483790, itemidx=1, sn="9f8e7d6c5b4a39281706f5e4d3c2b1a0", comment_id="0",
        title="关于调整夜班补贴的通知（征求意见稿）", digest="夜班补贴拟调整，请职工提意见", author="工会办公室",
        paragraphs=["夜班补贴拟由每班30元调整为40元。"], drafted=at(2025, 5, 20, 16, 40), published=at(2025, 5, 20, 17, 0),
        deleted=True)
    a4 = Article(
        appmsgid=2247483755, itemidx=1, sn="1a2b3c4d5e6f708192a3b4c5d6e7f809", comment_id="4247234702597600001",
        title="职工书屋\\新书上架 'AI 与安全'", digest="本期新书推荐", author="", original=False,
        paragraphs=["本期新书：《智能矿山》《安全心理学》。", "借阅时间 9:00-17:00。"],
        drafted=at(2024, 12, 30, 9, 0), published=at(2024, 12, 30, 9, 5, 7), read=300, old_like=2, share=1, like=1,
        comments=[Comment("13418510647784636829", "图书管理员", "欢迎大家来借阅", at(2024, 12, 31, 10, 0), likes=3,
                          openid="owOYjs0ccccccccccccccccccccc")])
    return Account(name=name, biz="MzA5NzQxMjM0NQ==", user_name="gh_5e2a7c9d1b3f", articles=[a1, a2, a3, a4])


# --- what a layout preserves ----------------------------------------------------------------------
def to_minute(d: datetime) -> datetime:
    return d.replace(second=0)


def body_paragraphs(a: Article) -> str:
    """The body as an HTML page shows it: one paragraph per block."""
    return "\n\n".join(clean_text(p) for p in a.paragraphs)


@dataclass(frozen=True)
class Want:
    """One stored post as the acceptance check sees it."""

    kind: str  # 文章 | 留言 | 回复
    account: str  # the source's name
    title: str  # articles only
    local_time: str  # YYYY-MM-DD HH:MM:SS, Asia/Shanghai
    author: str
    text: str
    parent: str  # "" | 文章:<title> | 留言:<author>:<text>


TimeOf = Callable[[datetime, Article], datetime]


def exact(d: datetime, a: Article) -> datetime:
    return d


def expected(acc: Account, *, shown_account: str | None = None, body: Callable[[Article], str] = body_paragraphs,
             article_time: Callable[[Article], datetime] = lambda a: a.published, comment_time: TimeOf = exact,
             comments: bool = True, all_replies: bool = True, deleted_rows: bool = False,
             author: Callable[[Article], str] | None = None) -> list[Want]:
    """The posts yuqing must store from one layout of ``acc``.

    ``shown_account``: the source name the layout gives (the name, or the ``__biz`` when the layout
    has no account name); ``body``/``article_time``/``comment_time``: what the layout preserves;
    ``all_replies``: False when the layout keeps only the replies the comment list carries;
    ``deleted_rows``: the layout lists the deleted article like any other (XLSX has no flag).
    """
    shown = shown_account or acc.name
    out: list[Want] = []
    for a in acc.articles:
        if a.deleted and not deleted_rows:
            continue
        who = author(a) if author else (a.author or acc.name)
        out.append(Want("文章", shown, clean_text(a.title), _fmt(article_time(a)), who, body(a), ""))
        if not comments:
            continue
        for c in a.comments:
            if not c.text:
                continue
            out.append(Want("留言", shown, "", _fmt(comment_time(c.at, a)), c.nick, clean_text(c.text),
                            f"文章:{clean_text(a.title)}"))
            for r in c.replies if all_replies else c.listed_replies:
                out.append(Want("回复", shown, "", _fmt(comment_time(r.at, a)), r.nick, clean_text(r.text),
                                f"留言:{c.nick}:{clean_text(c.text)}"))
    return out


def _fmt(d: datetime) -> str:
    return d.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")


# --- the acceptance check --------------------------------------------------------------------------
_KIND = {SourceKind.WECHAT_ARTICLE: "文章", SourceKind.WECHAT_COMMENT: "留言"}


def stored(store) -> list[Want]:
    """Every stored article, comment and reply as a :class:`Want` (a comment whose parent is a
    comment counts as a reply)."""
    posts = [sp.post for sp in store.query_posts(PostQuery(limit=100_000, newest_first=False))]
    by_id = {p.id: p for p in posts}
    names = {s.id: s.name for s in store.list_sources()}
    out = []
    for p in posts:
        parent = by_id.get(p.parent_id) if p.parent_id else None
        kind = _KIND.get(p.source_kind, str(p.source_kind))
        desc = ""
        if parent is not None and parent.source_kind == SourceKind.WECHAT_ARTICLE:
            desc = f"文章:{parent.title}"
        elif parent is not None:
            kind, desc = "回复", f"留言:{parent.author}:{parent.text}"
        elif p.parent_id:
            desc = "（父帖不在库中）"
        out.append(Want(kind, names.get(p.source_id, p.source_id), p.title if kind == "文章" else "",
                        _fmt(p.created_at), p.author, p.text, desc))
    return out


def assert_exact(store, want: list[Want]) -> None:
    """The store holds exactly ``want`` (as a multiset): every article, comment and reply with its
    account, title, local time, author, text and parent; nothing missing, nothing extra."""
    got, expect = Counter(stored(store)), Counter(want)
    missing, extra = expect - got, got - expect
    lines = ["stored posts differ from the expected ones"]
    lines += [f"  missing: {w}" for w in sorted(missing.elements(), key=lambda w: w.local_time)]
    lines += [f"  extra:   {w}" for w in sorted(extra.elements(), key=lambda w: w.local_time)]
    assert not missing and not extra, "\n".join(lines)


__all__ = ["TZ", "Account", "Article", "Comment", "Reply", "Want", "account", "assert_exact", "at", "body_paragraphs",
           "expected", "exact", "stored", "to_minute", "wx_escape"]
