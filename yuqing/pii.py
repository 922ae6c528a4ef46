"""Workers' personal data in text: mainland mobile numbers, resident ID numbers, bank cards.

``find_pii`` says where they are; ``mask_pii`` hides them. Both work on the text they are given:
mask the text that is shown (after any whitespace collapsing, truncation is done after masking),
never a copy the spans were computed on. Pure functions.

A number is found however it is written: ASCII or full-width digits (``１３８``), grouped by any
of the separators people type between digits (space, ``.``, ``-``, ``－``, ``—``, ``_``, ``/``,
``·`` and the like, up to three in a row), a mobile number with ``+86``/``0086``/``86`` before it,
15- and 18-character ID numbers (``X`` check character included), bank cards of 16–19 digits in
any grouping. Several numbers written one after another (``13812345678 13912345678``) are told
apart by their groups.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

KINDS = ("phone", "id_card", "bank_card")

#: Characters people put between the digits of one number (besides whitespace).
SEPARATORS = ".-_/·・\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\uff0e\uff3f\uff0f"
_SEP = r"[\s" + re.escape(SEPARATORS) + r"]"
#: A run of digits joined by at most three separators, optionally ending in an ID's check character.
_RUN = re.compile(rf"(?<!\d)\d(?:{_SEP}{{0,3}}\d)*(?:{_SEP}{{0,3}}[XxＸｘ])?")
_GROUP = re.compile(r"\d+|[XxＸｘ]")
#: The longest number there is (a 19-digit card; ``0086`` + 11 digits is 15).
_MAX_DIGITS = 19

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_KEEP = {"phone": (3, 4), "id_card": (6, 4), "bank_card": (4, 4)}


def _ascii_digits(s: str) -> str:
    """The digits of ``s`` as ASCII (full-width and other decimal digits folded), ``X`` for a check character."""
    out = []
    for ch in s:
        if ch.isdigit():
            out.append(str(unicodedata.decimal(ch, 0)))
        elif ch in "XxＸｘ":
            out.append("X")
    return "".join(out)


def _birth_ok(yyyymmdd: str) -> bool:
    try:
        d = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= d.year <= 2099


def _id18_checksum_ok(s: str) -> bool:
    total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == s[17]


def classify(digits: str) -> tuple[str, int] | None:
    """What a number (its ASCII digits, ``X`` last for an ID) is: ``(kind, prefix digits)`` — the
    prefix being a mobile number's ``86``/``0086`` — or None when it is none of them."""
    n = len(digits)
    if digits.endswith("X"):
        body = digits[:-1]
        if n == 18 and body.isdigit() and body[0] != "0" and _birth_ok(body[6:14]):
            return "id_card", 0  # X is only ever a check character: an ID even when mistyped
        return None
    if not digits.isdigit():
        return None
    if n == 11 and _MOBILE.fullmatch(digits):
        return "phone", 0
    for prefix in ("86", "0086"):
        if n == 11 + len(prefix) and digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix):]):
            return "phone", len(prefix)
    if n == 15 and digits[0] != "0" and _birth_ok("19" + digits[6:12]):
        return "id_card", 0
    if n == 18 and digits[0] != "0" and _birth_ok(digits[6:14]) and _id18_checksum_ok(digits):
        return "id_card", 0
    if 16 <= n <= 19:
        return "bank_card", 0
    return None


def _spans_in_run(text: str, start: int, end: int) -> list[dict]:
    """The numbers inside one run of digits and separators: the whole run if it is one, else the
    longest group sequences that are, left to right."""
    groups = [(m.start(), m.end(), _ascii_digits(m.group(0)))
              for m in _GROUP.finditer(text, start, end)]
    found: list[dict] = []
    i = 0
    while i < len(groups):
        best = None
        digits = ""
        for j in range(i, len(groups)):  # the widest sequence of groups from i that is a number
            digits += groups[j][2]
            if len(digits) > _MAX_DIGITS:
                break
            number = classify(digits)
            if number is not None:
                best = (j, number)
        if best is None:
            i += 1
            continue
        j, (kind, prefix) = best
        found.append({"kind": kind, "start": groups[i][0], "end": groups[j][1], "prefix": prefix})
        i = j + 1
    return found


def find_pii(text: str) -> list[dict]:
    """Spans of personal data: ``[{"kind": "phone"|"id_card"|"bank_card", "start": i, "end": j}]``."""
    out: list[dict] = []
    for m in _RUN.finditer(text or ""):
        for sp in _spans_in_run(text, m.start(), m.end()):
            out.append({"kind": sp["kind"], "start": sp["start"], "end": sp["end"]})
    return out


def _mask_span(s: str, kind: str) -> str:
    """``s`` with the middle digits hidden: a phone keeps its first 3 and last 4 digits (after a
    ``+86``/``0086`` prefix), an ID its first 6 and last 4 characters, a card its first and last 4."""
    positions = [i for i, c in enumerate(s) if c.isdigit() or c in "XxＸｘ"]
    head, tail = _KEEP[kind]
    if kind == "phone" and len(positions) > 11:
        head += len(positions) - 11
    hidden = set(positions[head:len(positions) - tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(s))


def mask_pii(text: str, spans: list[dict] | None = None) -> str:
    """``text`` with personal data masked: 139****5678, 110101********123X, 6222 **** **** 1234.

    The spans are always found on ``text`` itself (``spans``, spans stored with a post, are accepted
    for compatibility and ignored: they may have been computed on another form of the text)."""
    del spans
    if not text:
        return text
    found = find_pii(text)
    if not found:
        return text
    out, pos = [], 0
    for sp in found:
        out.append(text[pos:sp["start"]])
        out.append(_mask_span(text[sp["start"]:sp["end"]], sp["kind"]))
        pos = sp["end"]
    out.append(text[pos:])
    return "".join(out)


def readable_numbers(text: str, numbers: list[str]) -> list[str]:
    """The ``numbers`` (ASCII digits) that can still be read in ``text`` whatever separators or
    digit widths it uses — for tests and checks of output paths."""
    folded = _ascii_digits_keep(text)
    return [n for n in numbers if n.upper() in folded]


def _ascii_digits_keep(text: str) -> str:
    """``text`` reduced to its digits (and ``X``), separators between digits dropped."""
    out = []
    for ch in text:
        if ch.isdigit():
            out.append(str(unicodedata.decimal(ch, 0)))
        elif ch in "XxＸｘ":
            out.append("X")
        elif ch.isspace() or ch in SEPARATORS or ch in "+＋":
            continue
        else:
            out.append("|")
    return "".join(out)


def has_pii(text: str) -> bool:
    """Whether ``text`` holds a phone, ID or bank card number (a word cloud's term, a keyword)."""
    return bool(text) and bool(find_pii(text))
