"""The files yuqing writes hold workers' personal data: nobody but the user running yuqing may read them.

Every entry point (the CLI, the dashboard, the SMTP sink) sets the umask to 077 so whatever yuqing
creates is 0600 (files) / 0700 (folders); the database and saved e-mails are also created with
those modes explicitly. :func:`loose_modes` finds files that are readable by others anyway (made by
an older yuqing, copied in by hand), for ``yuqing doctor``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
DIR_MODE = 0o700


def private_umask() -> int:
    """Make everything this process creates from now on private; returns the previous umask."""
    return os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """``path`` and its missing parents created 0700 (existing folders are left as they are)."""
    missing = []
    p = Path(path)
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(d, DIR_MODE)  # mkdir's mode is cut by the umask; never widened by it
    return Path(path)


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (its folder 0700 when missing)."""
    private_dir(Path(path).parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (mode 0600) so readers never see half a file: a temporary file
    beside it, then a rename."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def loose_modes(paths: Iterable[Path], limit: int = 100_000) -> list[tuple[Path, int]]:
    """Files and folders under ``paths`` (recursively, symlinks not followed) that others may read,
    write or enter: ``(path, mode)`` for each; at most ``limit`` entries are looked at."""
    out: list[tuple[Path, int]] = []
    seen = 0
    for root in paths:
        root = Path(root)
        if not root.exists():
            continue
        stack = [root]
        while stack and seen < limit:
            p = stack.pop()
            seen += 1
            try:
                st = p.lstat()
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                continue
            mode = stat.S_IMODE(st.st_mode)
            if mode & 0o077:
                out.append((p, mode))
            if stat.S_ISDIR(st.st_mode):
                try:
                    stack.extend(sorted(p.iterdir(), reverse=True))
                except OSError:
                    continue
    return out
