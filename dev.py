#!/usr/bin/env python3
"""Set up and run yuqing on a fresh machine that has only Python >= 3.11.

    python3 dev.py demo     # .venv + install, then the whole loop on demo data, dashboard on http://localhost:8501
    python3 dev.py test     # .venv + install (+ chromium, CJK and emoji fonts for the UI tests), then ruff and mypy
                            # and the test suite (with arguments: only pytest, e.g. -k crawler)
    python3 dev.py lint     # .venv + install, then ruff (whole repository) and mypy (the pure modules)

Anything after the command is passed on (``python3 dev.py test -k crawler``,
``python3 dev.py demo --no-dashboard``). Re-running is cheap: the install is redone only
when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".yuqing-install"

#: Debian packages the UI tests and the charts need: a real browser, a font with CJK glyphs and a
#: colour emoji font (the ✅/❌ on the rules page, never a tofu box).
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
SYSTEM_PACKAGES = {
    "test": [("chromium", Path("/usr/bin/chromium")), ("fonts-noto-cjk", None),
             ("fonts-noto-color-emoji", EMOJI_FONT), ("poppler-utils", Path("/usr/bin/pdftoppm"))],
    "demo": [("fonts-noto-cjk", None), ("fonts-noto-color-emoji", EMOJI_FONT)],
    "lint": [],
}


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, **kw)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under any python3 and says what it needs
        sys.exit(f"yuqing needs Python >= 3.11 (this is {sys.version.split()[0]})")
    if not PY.exists():
        say(f"creating {VENV}")
        run([sys.executable, "-m", "venv", str(VENV)])
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == want:
        return
    say("installing yuqing and its dependencies into .venv (first run takes a few minutes)")
    run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"])
    STAMP.write_text(want)


def _font_present() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(out.strip())


def ensure_system_packages(which: str) -> None:
    """Install the Debian packages the UI tests/charts need, when we can (root + apt-get)."""
    missing = []
    for pkg, probe in SYSTEM_PACKAGES[which]:
        present = probe.exists() if probe else _font_present()
        if not present:
            missing.append(pkg)
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"installing Debian packages: {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            run(["apt-get", "update", "-qq"], env=env)
            run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env,
                stdout=subprocess.DEVNULL)
        except subprocess.CalledProcessError as exc:
            say(f"could not install {' '.join(missing)} ({exc}); browser tests will be skipped, charts may lack CJK glyphs")
    else:
        say(f"please install: sudo apt-get install {' '.join(missing)} "
            "(browser tests are skipped and charts may lack CJK glyphs until then)")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "lint"):
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    ensure_venv()
    ensure_system_packages(cmd)
    os.chdir(ROOT)
    if cmd == "demo":
        return subprocess.call([str(BIN / "yuqing"), "demo", *rest])
    if cmd == "lint" or (cmd == "test" and not rest):  # the whole test run lints first
        # configuration in pyproject.toml ([tool.ruff], [tool.mypy])
        failed = subprocess.call([str(PY), "-m", "ruff", "check", ".", *(rest if cmd == "lint" else [])]) or \
            subprocess.call([str(PY), "-m", "mypy"])
        if cmd == "lint" or failed:
            return failed
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.call([str(PY), "-m", "pytest", *rest], env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
