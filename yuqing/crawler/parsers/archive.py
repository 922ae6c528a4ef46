"""Limits for the ZIP containers yuqing opens (XLSX, Word): what they unpack to is bounded before
anything is unpacked. Pure (works on the bytes in memory).

``zipfile`` never yields more than a member's declared size, so checking the declared sizes bounds
memory; a member that claims less than it holds fails its CRC and is reported as damaged.
"""

from __future__ import annotations

import io
import zipfile

#: What one container may unpack to, in all and per member.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBER = 100 * 1024 * 1024
#: Rows read from one sheet; the rows after it are quarantined with one line.
MAX_ROWS = 200_000
#: Columns read from one row.
MAX_COLUMNS = 200


def zip_problem(data: bytes, what: str = "文件") -> str:
    """Why ``data`` (a ZIP container) is not opened — "" when it is within the limits."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return f"{what}无法打开（可能损坏或不完整）：{type(exc).__name__}"
    total = 0
    for info in infos:
        if info.file_size > MAX_MEMBER:
            return (f"{what}里的 {info.filename[:60]} 解压后有 {info.file_size / 2**20:,.0f} MB，"
                    f"超过单个部件 {MAX_MEMBER // 2**20} MB 的上限（可能是恶意构造的压缩包），未导入")
        total += info.file_size
    if total > MAX_UNPACKED:
        return (f"{what}解压后共 {total / 2**20:,.0f} MB，超过 {MAX_UNPACKED // 2**20} MB 的上限"
                "（可能是恶意构造的压缩包），未导入；请拆分后再导入")
    return ""
