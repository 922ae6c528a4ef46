"""Acceptance checks shared by every exporter's fixtures: exactly the expected posts, nothing
extra, quotes linked, a re-import adds nothing and a re-encoded, renamed copy adds nothing."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from yuqing.crawler.importer import ImportReport, import_paths
from yuqing.storage import PostQuery

from .conversation import TZ, Expected


def stored(store) -> list[Expected]:
    """Every stored post as an :class:`Expected` (quote_of: the text of the post its parent_id names)."""
    posts = [sp.post for sp in store.query_posts(PostQuery(limit=100_000, newest_first=False))]
    by_id = {p.id: p for p in posts}
    out = []
    for p in posts:
        parent = by_id.get(p.parent_id) if p.parent_id else None
        out.append(Expected(p.author, p.created_at.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S"), p.text,
                            parent.text if parent is not None else None))
    return out


def assert_exact(store, want: list[Expected]) -> None:
    """The store holds exactly ``want`` (as a multiset): every post with its author, local time,
    text and quote link, nothing missing and nothing extra."""
    got = Counter(stored(store))
    expect = Counter(want)
    missing = expect - got
    extra = got - expect
    assert not missing and not extra, _diff(missing, extra)


def _diff(missing: Counter, extra: Counter) -> str:
    lines = ["stored posts differ from the expected ones"]
    lines += [f"  missing: {e}" for e in sorted(missing.elements(), key=lambda e: e.local_time)]
    lines += [f"  extra:   {e}" for e in sorted(extra.elements(), key=lambda e: e.local_time)]
    return "\n".join(lines)


def import_ok(store, config, paths) -> ImportReport:
    """Import ``paths``; nothing may be quarantined or rejected."""
    report = import_paths(store, config, paths)
    assert report.quarantined == 0 and report.files_rejected == 0, [
        (q.origin, q.position, q.reason) for q in store.list_quarantine()]
    return report


def text_files(paths) -> list[Path]:
    files = []
    for p in map(Path, paths):
        files.extend(sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p])
    return files


def reencoded_copy(paths, dest: Path, encoding: str = "gb18030") -> list[Path]:
    """Every file of ``paths`` copied under ``dest`` with another name, text files re-saved in
    ``encoding`` (a chat re-saved by hand); binary files (XLSX, DOCX, images) copied as they are.
    Folder names are kept (an export's layout), file names get a ``另存为-`` prefix."""
    out = []
    for i, f in enumerate(text_files(paths)):
        target = dest / f"copy{i}" / f.parent.name / f"另存为-{f.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = f.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            shutil.copyfile(f, target)
        else:
            if "\x00" in text:
                shutil.copyfile(f, target)
            else:
                target.write_bytes(text.encode(encoding))
        out.append(target)
    return out


def assert_reimports_add_nothing(store, config, paths, tmp_path: Path) -> None:
    """Importing the same files again adds 0; a re-encoded, renamed copy adds 0."""
    before = store.count_posts(PostQuery())
    again = import_paths(store, config, paths)
    assert again.posts == 0, again.summary()
    copies = reencoded_copy(paths, tmp_path / "resaved")
    resaved = import_paths(store, config, copies)
    assert resaved.posts == 0, resaved.summary()
    assert store.count_posts(PostQuery()) == before
