"""`yuqing import`: export files and folders into the store, streamed, each file exactly once.

A file is recognised by its content hash (the store's ledger), so a copied or renamed file is
not read twice (``--force`` reads it again, adding only what is new). Big line-based exports are
streamed and stored in batches; post ids are stable (a chat message's id comes from its second,
text and occurrence), so a run killed midway, the same chat exported again for an overlapping
period, by another tool or in another encoding adds each message once. A chat the store holds
under another name is recognised by its messages (:class:`~.sources.ChatBinder`). A file enters
the ledger only when it is done and something of it was read (posts, duplicates, skipped
messages or quarantined rows); a file that is no known format, binary junk or damaged through
and through becomes one quarantine record with a readable reason, is tried again on the next
run, and the other files still import. Media files beside an export are skipped and counted.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..pii import find_pii
from ..schema import ImportedFile, Post, QuarantineRecord, SourceKind, content_hash, make_post_id
from .parsers import FORMATS, ChatRecord, ParseContext, Skipped
from .parsers.detect import HEAD_BYTES
from .reading import Progress, detect, read_records, users_beside
from .sources import WINDOW, ChatBinder, SourceResolver, same_message

if TYPE_CHECKING:
    from ..storage.protocols import ImportStore

BATCH = 5000
#: How far back a quoted message is looked for in the store when the file does not hold it.
QUOTE_LOOKBACK = timedelta(days=30)
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,8}\]")  # a quoted picture, voice message … (「[图片]」)


@dataclass
class ImportReport:
    files: int = 0
    files_already: int = 0
    files_rejected: int = 0
    posts: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped: Counter = field(default_factory=Counter)
    formats: Counter = field(default_factory=Counter)
    #: Media and resource files beside the exports (icons, images, voice clips), by kind.
    assets: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        kinds = "、".join(f"{k} {n}" for k, n in self.skipped.most_common())
        return (f"导入 {self.files} 个文件：新增 {self.posts} 条，重复 {self.duplicates} 条，"
                f"隔离 {self.quarantined} 条，跳过 {skipped} 条" + (f"（{kinds}）" if kinds else "")
                + f"；已导入过的文件 {self.files_already} 个，无法识别的文件 {self.files_rejected} 个"
                + (f"，跳过资源文件 {sum(self.assets.values())} 个" if self.assets else ""))


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under ``paths`` (folders recursively, sorted; hidden files and folders left out)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if f.is_file() and not any(part.startswith(".") for part in rel):
                    yield f
        else:
            yield p


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def finalise(rec: ChatRecord, source_id: str) -> Post:
    """The stored post of a parsed record: its source, stable id, parent id and PII spans.

    A chat message's id comes from its message key (second, text, occurrence: the same message
    from any exporter gets the same id); other records use their native id. With either the post
    is completed in place (the hot path of big imports); without one the id depends on the
    post's fallback hash, so the schema rebuilds it.
    """
    p = rec.post
    parent = make_post_id(source_id, rec.parent_native) if rec.parent_native else p.parent_id
    key = rec.msg_key or p.native_id
    if not key:
        return replace(p, source_id=source_id, id="", parent_id=parent, pii=find_pii(p.text))
    p.source_id = source_id
    p.id = make_post_id(source_id, key)
    p.parent_id = parent
    p.pii = find_pii(p.text)
    return p


class Importer:
    """One import run: the store, the config, a source resolver and the running report.

    ``force``: read files the ledger already holds too (adding only what is new), e.g. after a
    parser learnt a layout it used to get wrong.
    """

    def __init__(self, store: ImportStore, config: Config, progress: Progress | None = None, *, force: bool = False):
        self.store, self.config, self.progress = store, config, progress
        self.resolver = SourceResolver(store)
        self.report = ImportReport()
        self.force = force
        self._windowed: dict[str, bool] = {}

    def run(self, paths: Iterable[str | Path]) -> ImportReport:
        for path in iter_files(paths):
            self.import_file(path)
        return self.report

    def _reject(self, path: Path, reason: str, size: int = 0) -> None:
        """Quarantine a whole file with its reason. It does not enter the ledger: the next run tries
        it again (it may still have been being written, or a newer yuqing may read it)."""
        self.report.files_rejected += 1
        self.report.quarantined += self.store.add_quarantine([QuarantineRecord(str(path), "整个文件", reason)])
        if self.progress and size:
            self.progress(size)

    def import_file(self, path: Path) -> None:
        try:
            if not path.is_file():
                self._reject(path, "不是普通文件（目录、管道或设备），已跳过" if path.exists() else "文件不存在")
                return
            size = path.stat().st_size
            digest = file_hash(path)
        except OSError as exc:
            self._reject(path, f"无法读取文件：{exc.strerror or exc}")
            return
        if not self.force and self.store.file_imported(digest) is not None:
            self.report.files_already += 1
            if self.progress:
                self.progress(size)
            return
        with path.open("rb") as f:
            detection, encoding = detect(f.read(HEAD_BYTES))
        if detection.asset:
            self.report.assets[detection.asset] += 1
            if self.progress:
                self.progress(size)
            return
        fmt = FORMATS.get(detection.fmt or "")
        if fmt is None:
            self._reject(path, detection.reason or f"格式 {detection.fmt} 暂不支持导入", size)
            return
        counts = Counter()
        if fmt.reads != "side":
            try:
                counts = self._parse_and_store(path, fmt, encoding, size)
            except MemoryError:
                self._reject(path, "文件太大，内存不足；请拆分后再导入")
                return
            except Exception as exc:  # noqa: BLE001 - a damaged file must not stop the other files
                self._reject(path, f"解析中断（文件可能已损坏）：{type(exc).__name__}: {str(exc)[:200]}")
                return
            if counts["quarantined"] and not (counts["posts"] or counts["duplicates"] or counts["skipped"]):
                self.report.files_rejected += 1  # nothing of it could be read: retried next run, not ledgered
                return
        elif self.progress:
            self.progress(size)
        self.report.files += 1
        self.report.formats[fmt.name] += 1
        self.store.record_file(ImportedFile(content_hash=digest, path=str(path), size=size, fmt=detection.fmt or "",
                                            posts=counts["posts"], duplicates=counts["duplicates"],
                                            quarantined=counts["quarantined"], skipped=counts["skipped"]))

    def _parse_and_store(self, path: Path, fmt, encoding: str, size: int) -> Counter:
        ctx = ParseContext(origin=str(path), tz=self.config.tz)
        if fmt.name.startswith("PyWxDump"):
            ctx.users = users_beside(path)
        counts: Counter = Counter()
        posts: list[Post] = []
        quarantine: list[QuarantineRecord] = []
        binder = ChatBinder(self.resolver)
        claimed: set[str] = set()  # stored messages a window-dated record of this file turned out to be

        def keep(bound: Iterable[tuple[ChatRecord, str]]) -> None:
            nonlocal posts
            for rec, sid in bound:
                post = finalise(rec, sid)
                if rec.time_window or (rec.kind == SourceKind.WECHAT_GROUP and self._has_windowed(sid)):
                    self._match_stored(rec, sid, post, claimed)
                if not post.parent_id and post.extra.get("quote"):
                    self._link_quote(post)
                posts.append(post)
                if len(posts) >= BATCH:
                    self._store_posts(posts, counts)
                    posts = []

        for rec in read_records(lambda: path.open("rb"), size, fmt, encoding, ctx, self.progress):
            if isinstance(rec, ChatRecord):
                keep(binder.feed(rec))
            elif isinstance(rec, Skipped):
                self.report.skipped[rec.kind] += 1
                counts["skipped"] += 1
            else:
                quarantine.append(rec)
                if len(quarantine) >= BATCH:
                    self._store_quarantine(quarantine, counts)
                    quarantine = []
        keep(binder.flush())
        self._store_posts(posts, counts)
        self._store_quarantine(quarantine, counts)
        return counts

    def _has_windowed(self, sid: str) -> bool:
        """Whether the source holds messages dated only to a window (then an exact-time message
        may be one of them, stored up to :data:`WINDOW` seconds early)."""
        if sid not in self._windowed:
            self._windowed[sid] = self.store.get_state(f"import:windowed:{sid}") is not None
        return self._windowed[sid]

    def _match_stored(self, rec: ChatRecord, sid: str, post: Post, claimed: set[str]) -> None:
        """A message dated only to a window (MemoTrace Word) that the store holds already (from an
        export with exact times, or a Word export whose windows fell differently) keeps that id;
        so does an exact-time message the store holds from such an export (stored early)."""
        if rec.time_window and not self._has_windowed(sid):
            self.store.set_state(f"import:windowed:{sid}", "1")
            self._windowed[sid] = True
        window = timedelta(seconds=rec.time_window or WINDOW)
        found = same_message(rec, self.store.find_messages([(post.created_at, post.content_hash)], slack=window,
                                                           source_id=sid), claimed, window=int(window.total_seconds()),
                             early_only=not rec.time_window)
        if found is not None:
            claimed.add(found.post_id)
            post.id = found.post_id

    def _link_quote(self, post: Post) -> None:
        """A reply whose quoted message is not in this file (an earlier export, the previous page of
        a split export): linked to the latest stored message of the chat with the quoted text sent
        within :data:`QUOTE_LOOKBACK` before the reply."""
        quoted = post.extra["quote"].get("text") or ""
        if not quoted or _PLACEHOLDER.fullmatch(quoted):
            return
        before = post.created_at - QUOTE_LOOKBACK / 2
        found = [m for m in self.store.find_messages([(before, content_hash(quoted))], slack=QUOTE_LOOKBACK / 2,
                                                     source_id=post.source_id) if m.created_at <= post.created_at]
        if found:
            post.parent_id = max(found, key=lambda m: (m.created_at, m.post_id)).post_id

    def _store_posts(self, posts: list[Post], counts: Counter) -> None:
        if not posts:
            return
        result = self.store.add_posts(posts)
        counts["posts"] += result.inserted
        counts["duplicates"] += result.duplicates
        self.report.posts += result.inserted
        self.report.duplicates += result.duplicates

    def _store_quarantine(self, records: list[QuarantineRecord], counts: Counter) -> None:
        if not records:
            return
        n = self.store.add_quarantine(records)
        counts["quarantined"] += len(records)
        self.report.quarantined += n


def import_paths(store: ImportStore, config: Config, paths: Iterable[str | Path],
                 progress: Progress | None = None, *, force: bool = False) -> ImportReport:
    """Import export files and folders (recursively); returns what happened, with counts.
    ``force``: re-read files already in the ledger (only what is new is added)."""
    return Importer(store, config, progress, force=force).run(paths)


def watch(store: ImportStore, config: Config, paths: Iterable[str | Path], *, interval: float = 10.0,
          rounds: int | None = None, sleep: Callable[[float], None] = time.sleep,
          on_report: Callable[[ImportReport], None] | None = None) -> int:
    """Folder-watcher mode: import ``paths`` every ``interval`` seconds (``rounds`` times, or until
    interrupted). Each file is processed exactly once (content hash in the ledger), so files may
    be dropped in at any time, copied twice or renamed. Returns the posts added."""
    paths = list(paths)
    added, n = 0, 0
    while rounds is None or n < rounds:
        if n:
            sleep(interval)
        report = import_paths(store, config, paths)
        added += report.posts
        if on_report and (report.files or report.files_rejected):
            on_report(report)
        n += 1
    return added
