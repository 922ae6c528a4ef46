"""Build a digest end to end (figures → charts → HTML → PDF), write the files, and put it in the
e-mail outbox for its recipients. The IO side of the package; the parts are pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from .figures import compute_figures
from .model import Figures
from .pdf import html_to_pdf
from .period import Period
from .render import render_html, render_text

if TYPE_CHECKING:
    from ..storage.protocols import ReportStore


@dataclass
class Built:
    figures: Figures
    tag: str
    html_path: Path
    pdf_path: Path
    text: str

    @property
    def html(self) -> str:
        return self.html_path.read_text(encoding="utf-8")


def scope_tag(config: Config, unit: str) -> str:
    """The unit code naming a digest: ``unit``, else the organisation's single root, else ``ALL``."""
    roots = [u.code for u in config.units if not u.parent]
    return unit or (roots[0] if len(roots) == 1 else "ALL")


def file_stem(period: Period, tag: str) -> str:
    """``weekly-2026-W47-G`` / ``monthly-2026-11-M1``."""
    kind = "weekly" if period.kind == "week" else "monthly"
    return f"{kind}-{period.label}-{tag}"


def dedupe_key(period: Period, tag: str) -> str:
    return f"digest:{period.kind}:{period.label}:{tag}"


def build_digest(store: ReportStore, config: Config, period: Period, *, unit: str = "", out_dirs: tuple[Path, ...] = (),
                 now: datetime | None = None) -> Built:
    """Write ``<stem>.html`` and ``<stem>.pdf`` into ``data_dir/digests`` (and every ``out_dirs``)."""
    now = now or datetime.now(timezone.utc)
    figures = compute_figures(store, config, period, unit=unit, now=now)
    html = render_html(figures, config.timezone)
    pdf = html_to_pdf(html)
    stem = file_stem(period, scope_tag(config, unit))
    paths: list[tuple[Path, Path]] = []
    for folder in (config.data_dir / "digests", *out_dirs):
        folder.mkdir(parents=True, exist_ok=True)
        h, p = folder / f"{stem}.html", folder / f"{stem}.pdf"
        h.write_text(html, encoding="utf-8")
        p.write_bytes(pdf)
        paths.append((h, p))
    return Built(figures, scope_tag(config, unit), paths[0][0], paths[0][1], render_text(figures))


def digest_recipients(config: Config, unit: str) -> list[str]:
    """The addresses of recipients with ``digest = true`` for ``unit`` ("" = the organisation's
    root(s): recipients configured for a root unit or for no unit)."""
    roots = {u.code for u in config.units if not u.parent}
    wanted = {unit} if unit else roots | {""}
    out: list[str] = []
    for r in config.recipients:
        if r.digest and r.unit in wanted:
            out.extend(e for e in r.emails if e not in out)
    return out


def digest_scopes(config: Config) -> list[str]:
    """Every unit that has digest recipients; "" stands for the whole organisation."""
    roots = {u.code for u in config.units if not u.parent}
    scopes: list[str] = []
    for r in config.recipients:
        scope = "" if (not r.unit or r.unit in roots) else r.unit
        if r.digest and scope not in scopes:
            scopes.append(scope)
    return scopes


def enqueue_digest(store: ReportStore, built: Built, recipients: list[str]) -> bool:
    """Put the digest in the outbox (HTML body, PDF attached). False when this period's digest for
    this scope was already queued (the outbox dedupe key), so it is never sent twice."""
    f = built.figures
    return store.enqueue_email(
        dedupe_key=dedupe_key(f.period, built.tag), kind="digest", recipients=recipients,
        subject=f"【{f.period.name}】{f.scope_name} {f.period.title}", body_text=built.text, body_html=built.html,
        attachments=[{"filename": built.pdf_path.name, "path": str(built.pdf_path), "mime": "application/pdf"}])
