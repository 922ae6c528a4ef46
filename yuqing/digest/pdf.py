"""HTML → PDF with WeasyPrint (Pango lays out the Chinese text with the system's CJK fonts).

Debian packages a fresh machine needs: libpango-1.0-0 libpangoft2-1.0-0 (WeasyPrint) and
fonts-noto-cjk (the font)."""

from __future__ import annotations

import logging

from .errors import DigestError


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (no base URL: nothing is fetched)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango libraries missing
        raise DigestError(f"无法生成 PDF（WeasyPrint 不可用：{exc}）：pip install weasyprint，"
                          "并安装 Debian 包 libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint.urls import URLFetcher

    # only data: URIs are resolved: a digest never makes a network request while printing
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
