"""Workers' personal data in text: mainland mobile numbers, resident ID numbers, bank cards.

``find_pii`` records where they are (stored with each post); ``mask_pii`` hides them for
e-mails, digests and users who may not see them. Pure functions.
"""

from __future__ import annotations

import re

# 11-digit mobile numbers (1[3-9]x), optionally written 139-1234-5678 / 139 1234 5678 / +86.
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")
# 18-character resident ID: 6-digit area, birth date 19xx/20xx, 3 digits, check digit or X.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9A-Za-z])")
# Bank cards: 16-19 digits (spaces allowed in groups of four), passing the Luhn check.
_BANK = re.compile(r"(?<![0-9])(?:[0-9]{4}[ -]?){3}[0-9]{4}(?:[0-9]{1,3})?(?![0-9])")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _id_ok(s: str) -> bool:
    total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == s[17].upper()


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def find_pii(text: str) -> list[dict]:
    """Spans of personal data: ``[{"kind": "phone"|"id_card"|"bank_card", "start": i, "end": j}]``."""
    spans: list[dict] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _ID_CARD.finditer(text):
        if _id_ok(m.group(0)):
            spans.append({"kind": "id_card", "start": m.start(), "end": m.end()})
            taken.append(m.span())
    for m in _BANK.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(0))
        if 16 <= len(digits) <= 19 and _luhn_ok(digits) and free(*m.span()):
            spans.append({"kind": "bank_card", "start": m.start(), "end": m.end()})
            taken.append(m.span())
    for m in _PHONE.finditer(text):
        if free(*m.span()):
            spans.append({"kind": "phone", "start": m.start(), "end": m.end()})
            taken.append(m.span())
    return sorted(spans, key=lambda s: s["start"])


def _mask_span(s: str, kind: str) -> str:
    digits = [i for i, c in enumerate(s) if c.isalnum()]
    keep_head, keep_tail = {"phone": (3, 4), "id_card": (6, 4), "bank_card": (4, 4)}[kind]
    if kind == "phone" and len(digits) > 11:  # +86 prefix: keep the first 3 digits of the number itself
        keep_head += len(digits) - 11
    hidden = set(digits[keep_head:len(digits) - keep_tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(s))


def mask_pii(text: str, spans: list[dict] | None = None) -> str:
    """``text`` with personal data masked: 139****5678, 110101********123X, 6222 **** **** 1234."""
    spans = find_pii(text) if spans is None else spans
    out, pos = [], 0
    for sp in sorted(spans, key=lambda s: s["start"]):
        if sp["start"] < pos:
            continue
        out.append(text[pos:sp["start"]])
        out.append(_mask_span(text[sp["start"]:sp["end"]], sp["kind"]))
        pos = sp["end"]
    out.append(text[pos:])
    return "".join(out)
