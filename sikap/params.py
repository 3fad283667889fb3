"""Numbers read from a request (query string or form) without trusting it."""

from __future__ import annotations

MAX_ID_DIGITS = 18  # a bigint holds 9 223 372 036 854 775 807: any 18 digits fit


def as_id(raw: object) -> int | None:
    """``raw`` as a database id (or a page number, an offset), None when it is not one: ASCII digits
    only — "²" and "١" pass ``str.isdigit()`` but not ``int()`` or the database — and at most
    MAX_ID_DIGITS of them, so neither SQLite nor PostgreSQL overflows on it."""
    text = "" if raw is None else str(raw)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS else None
