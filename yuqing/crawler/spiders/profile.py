"""Forums described by a YAML site profile (see :mod:`yuqing.crawler.parsers.profile`).

Source options: ``engine = "profile"``, ``profile = "profiles/site.yaml"`` (relative to the data
directory, or absolute), plus ``cookies``/``t2s``/``max_list_pages`` as for Discuz. Same crawl
as the Discuz spider (list pages → threads → next pages, high-water marks when the list shows
reply counts); a changed thread is re-read from its first page (posts already stored are
compared, not stored again).
"""

from __future__ import annotations

from pathlib import Path

from ...errors import ConfigError
from ...schema import Source
from ..parsers.profile import Profile, load_profile, parse_list, parse_thread
from .discuz import DiscuzSpider


class ProfileSpider(DiscuzSpider):
    name = "profile"
    can_resume = False  # a profile names no page-number URL scheme: changed threads are read from page 1

    def __init__(self, *args, profile_dir: str | Path = ".", **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = self.load(self.source, profile_dir)

    @staticmethod
    def load(source: Source, profile_dir: str | Path) -> Profile:
        """The source's validated profile (:class:`~yuqing.errors.ConfigError` names file and key)."""
        path = Path(str(source.options.get("profile", "")))
        if not path.is_absolute():
            path = Path(profile_dir) / path
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise ConfigError(f"数据源 {source.id}：找不到站点配置文件 {path}") from None
        return load_profile(text, str(path))

    async def start(self):
        for url in self.profile.start:
            yield self.request(self._abs(url), self.parse_board)

    def list_page(self, response):
        return parse_list(self.profile, response.text, response.url)

    def thread_page(self, response):
        return parse_thread(self.profile, response.text, response.url, self.tz, self.now)

    def resume_url(self, url: str, page: int) -> str:
        return url
