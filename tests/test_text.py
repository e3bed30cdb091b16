"""Long texts are split to fit Telegram's limits, never cut."""

from __future__ import annotations

from handlers.text import join_blocks, plain_length, split_text


def test_long_texts_are_split_without_losing_a_character():
    text = ("Een lange zin over de samenwerking. " * 300).strip()
    pieces = split_text(text, 4000)
    assert all(len(piece) <= 4000 for piece in pieces)
    assert " ".join(pieces) == text
    unbroken = "x" * 9000
    assert "".join(split_text(unbroken, 4000)) == unbroken


def test_blocks_are_joined_into_as_few_messages_as_fit():
    blocks = ["<b>head</b>", "a" * 3000, "b" * 3000, "c"]
    chunks = join_blocks(blocks)
    assert len(chunks) == 2
    assert all(plain_length(chunk) <= 4096 for chunk in chunks)
    assert "".join(chunks).replace("\n", "") == "".join(blocks)
