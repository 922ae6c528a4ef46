"""Official-account articles with reader comments, in wechat-article-exporter's JSON shape."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path

from . import textgen
from .chat import LinkCard
from .ledger import StoryPost
from .org import ACCOUNTS, DemoAccount
from .phrases import canteen, skills, wages
from .phrases.articles import ACCOUNT_REPLIES, ARTICLES, GENERAL_COMMENTS
from .weeks import at

PROVINCES = (("山西", "太原"), ("山西", "大同"), ("山西", "吕梁"), ("陕西", "榆林"), ("内蒙古", "鄂尔多斯"))

#: Featured comments per story line (the wage explanation draws the most).
COMMENT_POOLS = {
    "wages": (wages.COMMENTS + wages.ANGRY[:30], "angry"),
    "canteen": (canteen.COMMENTS + canteen.COMPLAINTS[:10], "neutral"),
    "skills": (skills.COMMENTS + skills.POSITIVE[:10], "happy"),
    "chatter": (GENERAL_COMMENTS, "neutral"),
}


@dataclass(slots=True)
class Article:
    account: DemoAccount
    story: str
    when: datetime
    record: dict
    posts: list[StoryPost] = field(default_factory=list)  # comments and replies (not the article)

    @property
    def card(self) -> LinkCard:
        return LinkCard(title=self.record["title"], des=self.record["digest"], url=self.record["link"],
                        account=self.account.name, gh_id=self.account.gh_id, when=self.when, story=self.story)


def _content_html(title: str, paragraphs: list[str], rng: random.Random) -> str:
    parts = [f'<section style="text-align: center;"><p><strong>{escape(title)}</strong></p></section>']
    for p in paragraphs:
        parts.append(f'<p style="text-indent: 2em; line-height: 1.75em;"><span style="font-size: 15px;">{escape(p)}</span></p>')
    pic = hashlib.md5(f"{title}{rng.random()}".encode()).hexdigest()
    parts.append(f'<p style="text-align: center;"><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/mmbiz_jpg/{pic}/640?wx_fmt=jpeg" data-type="jpeg" /></p>')
    parts.append('<p style="text-align: right;"><span style="font-size: 12px;color: #888888;">编辑：工会宣传部</span></p>')
    return '<div class="rich_media_content" id="js_content">' + "".join(parts) + "</div>"


def _comments(rng: random.Random, account: DemoAccount, story: str, published: datetime, n: int,
              arts: list[StoryPost], limit: datetime) -> list[dict]:
    pool, mood = COMMENT_POOLS[story]
    out = []
    for i in range(n):
        when = min(published + timedelta(minutes=rng.randint(5, 60 * 30)), limit - timedelta(minutes=30))
        text = textgen.perturb(textgen.fill(rng.choice(pool), rng), rng, mood=mood, rate=0.6)
        prov, city = rng.choice(PROVINCES)
        replies = []
        if rng.random() < (0.5 if story in ("wages", "canteen") else 0.2):
            r_when = min(when + timedelta(minutes=rng.randint(10, 600)), limit)
            replies.append({
                "reply_id": 1, "nick_name": account.name, "content": rng.choice(ACCOUNT_REPLIES[story]),
                "create_time": int(r_when.timestamp()), "reply_like_num": rng.randint(0, 40), "is_from": 2,
            })
            arts.append(StoryPost(story, r_when))
        out.append({
            "content_id": str(rng.randrange(10**17, 10**18)),
            "nick_name": rng.choice(("东峪老矿工", "平安是福", "矿嫂", "一线工人", "北岭小刘", "煤海一粟", "追梦人",
                                     "老机电", "知足常乐", "外包兄弟", "掘进人", "安全员", "向日葵", "山里人")),
            "logo_url": "http://wx.qlogo.cn/mmopen/" + hashlib.md5(f"{story}{i}{rng.random()}".encode()).hexdigest() + "/132",
            "content": text,
            "create_time": int(when.timestamp()),
            "like_num": rng.randint(0, 300 if story == "wages" else 60),
            "is_top": 0,
            "is_elected": 1,
            "openid": "o" + hashlib.md5(f"{i}{rng.random()}".encode()).hexdigest()[:27],
            "identity_name": "",
            "ip_wording": {"country_name": "中国", "province_name": prov, "city_name": city},
            "reply_new": {"reply_total_cnt": len(replies), "reply_list": replies},
        })
        arts.append(StoryPost(story, when))
    out.sort(key=lambda c: -c["like_num"])
    return out


def build_articles(rng: random.Random, mondays: list[date]) -> list[Article]:
    out = []
    limit = at(mondays[-1] + timedelta(days=6), 23, 59)  # nothing after the last Sunday
    for idx, (acc_i, week, wd, hour, story, title, digest, paras) in enumerate(ARTICLES):
        account = ACCOUNTS[acc_i]
        when = at(mondays[week - 1] + timedelta(days=wd), hour, rng.randrange(60))
        appmsgid = 2247480000 + idx * 37 + acc_i * 5000
        sn = hashlib.md5(f"{account.biz}{appmsgid}".encode()).hexdigest()
        link = f"https://mp.weixin.qq.com/s?__biz={account.biz}&mid={appmsgid}&idx=1&sn={sn}#rd"
        n_comments = {"wages": rng.randint(18, 24), "canteen": rng.randint(8, 12)}.get(story, rng.randint(2, 6))
        posts: list[StoryPost] = []
        comments = _comments(rng, account, story, when, n_comments, posts, limit)
        reads = rng.randint(800, 3000) * (4 if story == "wages" else 1)
        record = {
            "aid": f"{appmsgid}_1", "appmsgid": appmsgid, "itemidx": 1, "title": title, "digest": digest,
            "author_name": "工会宣传部", "link": link, "create_time": int(when.timestamp()),
            "update_time": int(when.timestamp()) + rng.randint(0, 600), "copyright_stat": 1, "item_show_type": 0,
            "is_deleted": False, "_accountName": account.name, "readNum": reads,
            "oldLikeNum": reads // rng.randint(20, 60), "shareNum": reads // rng.randint(10, 40),
            "likeNum": reads // rng.randint(30, 90), "commentNum": len(comments),
            "content": _content_html(title, paras, rng), "comments": comments,
        }
        out.append(Article(account, story, when, record, posts))
    return out


def write_articles(root: Path, articles: list[Article]) -> Path:
    path = root / "公众号" / "微信公众号文章.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [a.record for a in sorted(articles, key=lambda a: a.when, reverse=True)]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
