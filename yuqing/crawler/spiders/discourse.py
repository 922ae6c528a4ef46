"""Discourse forums over their JSON API: ``/latest.json`` pages → ``/t/{id}.json`` → the rest of
each topic's posts through ``/t/{id}/posts.json?post_ids[]=…``.

Source options: ``engine = "discourse"``; ``max_list_pages = 10``; ``cookies = {…}`` (or an
``_t`` session cookie) for private categories.

Incremental: each topic's post count, last post time and highest post id are kept; a re-crawl
skips topics whose post count and last post time are unchanged (a reply deleted while another
was added changes the time) and, for a changed topic, fetches only posts newer than the last one
seen. The posts that come with the topic anyway (the first 20) are all compared with the stored
ones (edits, by the changes pipeline); posts shown as deleted, withdrawn or hidden are marked so;
and the topic's ``stream`` (every post id it still shows) marks stored posts missing from it deleted.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urljoin

from ...schema import make_post_id
from ..items import PostItem, PostStatusItem, ThreadDoneItem, ThreadSeen
from ..parsers.decode import loads_json
from ..parsers.discourse import parse_latest, parse_posts, parse_topic, to_post
from .base import SourceSpider

CHUNK = 20


class DiscourseSpider(SourceSpider):
    name = "discourse"

    def _url(self, path: str) -> str:
        base = self.source.url if self.source.url.endswith("/") else self.source.url + "/"
        return urljoin(base, path.lstrip("/"))

    async def start(self):
        yield self.request(self._url("latest.json"), self.parse_latest)

    def parse_latest(self, response, depth: int = 1):
        page = parse_latest(loads_json(response.text))
        changed = 0
        for t in page.topics:
            seen = self.mark("topic", str(t.id))
            same_last = not (seen.get("last_posted_at") and t.last_posted_at) or seen["last_posted_at"] == t.last_posted_at
            if seen and seen.get("posts_count") == t.posts_count and same_last:
                self.crawler.stats.inc_value("yuqing/threads_unchanged")
                continue
            changed += 1
            self.crawler.stats.inc_value("yuqing/thread_pages_requested")
            yield self.request(self._url(f"t/{t.id}.json"), self.parse_topic,
                               cb_kwargs={"posts_count": t.posts_count, "since": int(seen.get("max_post_id", 0)),
                                          "last_posted_at": t.last_posted_at})
        if page.more_url and changed and depth < int(self.source.options.get("max_list_pages", 10)):
            more = page.more_url.replace("/latest?", "/latest.json?", 1)
            yield self.request(self._url(more), self.parse_latest, cb_kwargs={"depth": depth + 1})

    def _items(self, posts, slug: str, topic_id: int, since: int):
        for p in posts:
            if p.id <= since:
                continue
            if p.status:
                yield PostStatusItem(self.source.id, str(topic_id), str(p.id), p.status, p.status_reason)
                continue
            post = to_post(p, self.source.id, self._url(f"t/{slug}/{topic_id}/{p.post_number}"))
            if p.reply_to:
                post.parent_id = make_post_id(self.source.id, str(p.reply_to))
            yield PostItem(post=post)

    def parse_topic(self, response, posts_count: int, since: int, last_posted_at: str = ""):
        topic = parse_topic(loads_json(response.text))
        # the posts that came with the topic are all compared with the stored ones (edits), whatever since
        yield from self._items(topic.posts, topic.slug, topic.id, 0)
        rest = [i for i in topic.missing if i > since]
        stream = [str(i) for i in topic.stream] + [str(p.id) for p in topic.posts]
        mark = {"posts_count": posts_count, "max_post_id": max([since, *topic.stream]), "last_posted_at": last_posted_at}
        yield from self._next_chunk(topic.id, topic.slug, topic.title, rest, since, mark, stream)

    def _next_chunk(self, topic_id, slug, title, rest, since, mark, stream):
        if rest:
            query = urlencode([("post_ids[]", i) for i in rest[:CHUNK]])
            self.crawler.stats.inc_value("yuqing/thread_pages_requested")
            yield self.request(self._url(f"t/{topic_id}/posts.json?{query}"), self.parse_more,
                               cb_kwargs={"topic_id": topic_id, "slug": slug, "title": title, "rest": rest[CHUNK:],
                                          "since": since, "mark": mark, "stream": stream})
        else:  # the stream lists every post the topic still shows: a stored one not in it is gone
            yield ThreadDoneItem(self.state_key("topic", str(topic_id)), json.dumps(mark),
                                 seen=ThreadSeen(self.source.id, str(topic_id), list(dict.fromkeys(stream)), None))

    def parse_more(self, response, topic_id, slug, title, rest, since, mark, stream):
        data = loads_json(response.text)
        posts = parse_posts((data.get("post_stream") or {}).get("posts") or [], title)
        yield from self._items(posts, slug, topic_id, since)
        yield from self._next_chunk(topic_id, slug, title, rest, since, mark, stream)
