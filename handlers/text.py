"""Telegram's length limits, and long texts split to fit them, never cut."""

from __future__ import annotations

import html
import re

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
_TAGS = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """The text of HTML markup, as a reader sees it."""
    return html.unescape(_TAGS.sub("", markup))


def plain_length(markup: str) -> int:
    """The length Telegram counts: that of the text without its markup."""
    return len(plain_text(markup))


def split_text(text: str, limit: int) -> list[str]:
    """Cut a long text into pieces of at most `limit` characters, at a line or word if possible."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n ") if cut < limit else text[cut:]
    pieces.append(text)
    return pieces


def join_blocks(blocks: list[str], separator: str = "\n") -> list[str]:
    """Blocks of HTML joined into as few messages as fit, in order."""
    chunks: list[str] = []
    for block in blocks:
        if chunks and plain_length(chunks[-1]) + len(separator) + plain_length(block) <= (
            MESSAGE_LIMIT
        ):
            chunks[-1] += separator + block
        else:
            chunks.append(block)
    return chunks
