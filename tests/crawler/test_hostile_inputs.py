"""Hostile and damaged input: every good row is kept, the damage costs only the row it is in, and
every reader stays within its limits (no file grows memory or time without bound)."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from pathlib import Path

import pytest

from yuqing.crawler.importer import import_paths
from yuqing.crawler.parsers import archive
from yuqing.crawler.parsers.decode import file_encoding
from yuqing.storage.base import PostQuery

HEADER = "消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\n"  # MemoTrace 3.x CSV


def row(i: int, text: str | None = None) -> str:
    body = text if text is not None else f"第{i}条：这个月的夜班补贴怎么还没发？"
    if any(c in body for c in ',"\n'):
        body = '"' + body.replace('"', '""') + '"'
    m, s = divmod(i, 60)
    return f"73400000000{i:08d},文本,职工{i % 7},2026-11-02 {8 + m // 60:02d}:{m % 60:02d}:{s:02d},{body},,,more\n"


def chat_file(tmp_path: Path, rows: list[str], *, encoding: str = "utf-8", name: str = "综采一队群.csv") -> Path:
    folder = tmp_path / "data" / "聊天记录" / "综采一队群(4455667788@chatroom)"
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_bytes((HEADER + "".join(rows)).encode(encoding))
    return p


def texts(store) -> list[str]:
    return [sp.post.text for sp in store.query_posts(PostQuery(limit=10**6, newest_first=False))]


def test_one_nul_byte_costs_its_row_not_the_file(store, config, tmp_path):
    rows = [row(i) for i in range(1000)]
    rows[3] = row(3, "这一行被\x00损坏了")
    r = import_paths(store, config, [chat_file(tmp_path, rows)])
    assert r.files_rejected == 0 and r.posts == 999 and r.quarantined == 1
    (q,) = store.list_quarantine()
    assert q.position == "第 5 行" and "空字符" in q.reason


def test_an_unterminated_quote_costs_its_row_not_the_rest(store, config, tmp_path):
    rows = [row(i) for i in range(1000)]
    rows[99] = f'7340000000{99:09d},文本,职工1,2026-11-02 08:01:39,"他说明天一起去堵门,,,more\n'  # a quote never closed
    r = import_paths(store, config, [chat_file(tmp_path, rows)])
    assert r.posts == 999 and r.quarantined == 1
    kept = texts(store)
    assert all(f"第{i}条：" in " ".join(kept) for i in (98, 100, 101, 500, 999))
    (q,) = store.list_quarantine()
    assert q.position == "第 101 行" and "引号没有闭合" in q.reason


def test_messages_spanning_lines_are_still_one_row_each(store, config, tmp_path):
    rows = [row(i) for i in range(50)]
    rows[10] = row(10, "第一行\n第二行，有逗号\n\"引号\"第三行")
    r = import_paths(store, config, [chat_file(tmp_path, rows)])
    assert (r.posts, r.quarantined) == (50, 0)
    assert "第一行\n第二行，有逗号\n\"引号\"第三行" in texts(store)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_a_bom_is_read(store, config, tmp_path, encoding):
    data = (HEADER + "".join(row(i) for i in range(200))).encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    p = chat_file(tmp_path, [])
    p.write_bytes(data)
    r = import_paths(store, config, [p])
    assert (r.posts, r.quarantined, r.files_rejected) == (200, 0, 0)
    assert "第7条：这个月的夜班补贴怎么还没发？" in texts(store)


def test_a_stray_byte_early_in_a_utf8_file_keeps_it_utf8_and_is_reported(store, config, tmp_path):
    body = (HEADER + "".join(row(i) for i in range(2000))).encode("utf-8")
    cut = body.index("第3条".encode())
    damaged = body[:cut] + b"\xff" + body[cut:]  # one byte that is not UTF-8, in the first 64 KB
    p = chat_file(tmp_path, [])
    p.write_bytes(damaged)
    r = import_paths(store, config, [p])
    assert r.posts == 2000
    kept = texts(store)
    assert "第1999条：这个月的夜班补贴怎么还没发？" in kept  # not garbled as GB18030
    assert sum("\ufffd" in t for t in kept) == 1
    (q,) = store.list_quarantine()
    assert "1 处字节不是有效的 UTF-8" in q.reason


def test_a_gb18030_file_is_gb18030_wherever_its_first_chinese_is(tmp_path):
    ascii_head = "x" * 70_000 + "\n"
    data = (ascii_head + "夜班补贴\n" * 100).encode("gb18030")
    assert file_encoding(io.BytesIO(data)) == ("gb18030", 0)
    assert file_encoding(io.BytesIO("夜班补贴".encode() * 1000)) == ("utf-8-sig", 0)


def test_a_fifo_named_on_the_command_line_is_refused_at_once(store, config, tmp_path):
    fifo = tmp_path / "chat.csv"
    os.mkfifo(fifo)
    done = threading.Event()
    result = {}

    def run():
        result["r"] = import_paths(store, config, [fifo])
        done.set()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    assert done.wait(20), "import hangs on a FIFO"
    assert result["r"].files_rejected == 1
    assert "不是普通文件" in store.list_quarantine()[0].reason


def xlsx(rows: list[list[str]], *, shared_strings_pad: int = 0) -> bytes:
    """A minimal XLSX (inline strings) with ``rows``; ``shared_strings_pad`` bytes of filler in
    sharedStrings.xml (what a zip bomb blows up)."""
    def cell(ref: str, v: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{n}">' + "".join(cell(f"{chr(65 + j)}{n}", v) for j, v in enumerate(r)) + "</row>"
        for n, r in enumerate(rows, 1))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData></worksheet>')
        if shared_strings_pad:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                f.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
                for _ in range(shared_strings_pad // len(chunk)):
                    f.write(chunk)
                f.write(b"</sst>")
    return buf.getvalue()


ARTICLE_HEADER = ["标题", "公众号", "作者", "发布时间", "链接", "文章内容"]


def article_rows(n: int) -> list[list[str]]:
    return [ARTICLE_HEADER] + [[f"第{i}篇：职工食堂改造", "华晋能源工会", "小李", f"2026-11-{1 + i % 28:02d} 09:00",
                                f"https://mp.weixin.qq.com/s?__biz=MzA{i}&amp;mid={i}", f"正文{i}"] for i in range(n)]


def test_an_xlsx_unpacking_past_the_limit_is_refused_before_it_is_unpacked(store, config, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER", 4 * 1024 * 1024)
    bomb = xlsx(article_rows(3), shared_strings_pad=12 * 1024 * 1024)
    assert len(bomb) < 200_000  # a few hundred KB that would unpack to 12 MB (1 GB in the field)
    p = tmp_path / "文章.xlsx"
    p.write_bytes(bomb)
    r = import_paths(store, config, [p])
    assert r.posts == 0 and r.files_rejected == 1
    (q,) = store.list_quarantine()
    assert "sharedStrings.xml" in q.reason and "上限" in q.reason


def test_an_xlsx_past_the_row_limit_keeps_the_rows_before_it(store, config, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ROWS", 50)
    p = tmp_path / "文章.xlsx"
    p.write_bytes(xlsx(article_rows(80)))
    r = import_paths(store, config, [p])
    assert r.posts == 50 and r.quarantined == 1
    (q,) = store.list_quarantine()
    assert q.position == "第 52 行起" and "50 行" in q.reason


def test_a_later_stray_quote_closing_it_still_costs_one_row(store, config, tmp_path):
    """Row 10's open quote is closed by a stray quote 20 rows on: the record reads as rows of its own,
    so it is cut back to row 10; row 30 alone is a fine row (a quote inside a field is text)."""
    rows = [row(i) for i in range(300)]
    rows[10] = f'7340000000{10:09d},文本,职工1,2026-11-02 08:00:10,"他说明天,,,more\n'
    rows[30] = f'7340000000{30:09d},文本,职工1,2026-11-02 08:00:30,去不去",,,more\n'
    r = import_paths(store, config, [chat_file(tmp_path, rows)])
    assert r.posts == 299 and r.quarantined == 1
    assert [q.position for q in store.list_quarantine()] == ["第 12 行"]
    assert '去不去"' in texts(store)


def test_csv_rows_recover_for_every_csv_layout():
    """csv_rows (PyWxDump, chatlog): the same recovery, with the header's width."""
    from yuqing.crawler.parsers.common import csv_rows
    from yuqing.crawler.parsers.records import ParseContext

    lines = ["Time,SenderName,Content\n"] + [f"2026-11-02 08:{i:02d}:00,张三,消息{i}\n" for i in range(40)]
    lines[5] = '2026-11-02 08:04:00,张三,"没有闭合的引号\n'
    lines[8] = "2026-11-02 08:07:00,张\x00三,损坏\n"
    out = list(csv_rows(lines, ParseContext(origin="x.csv"), ["Time", "Content"]))
    good = [r for _, r in out if isinstance(r, dict)]
    bad = [r for _, r in out if not isinstance(r, dict)]
    assert len(good) == 38 and [b.position for b in bad] == ["第 6 行", "第 9 行"]
    assert good[-1]["Content"] == "消息39"
