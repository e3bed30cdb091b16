"""The five kapstokken as data: numbered in order, each with its own emoji, title and intro."""

from __future__ import annotations

import pytest

from bot.domain.kapstokken import ASKING, GUIDANCE, KAPSTOKKEN, NUMBERS, RELATIONSHIP, by_number


def test_there_are_five_kapstokken_numbered_one_to_five_in_order():
    assert [kapstok.number for kapstok in KAPSTOKKEN] == [1, 2, 3, 4, 5]
    assert set(NUMBERS) == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_each_kapstok_is_found_by_its_number(number):
    assert by_number(number) is KAPSTOKKEN[number - 1]


@pytest.mark.parametrize("number", [0, 6, -1, 100])
def test_no_kapstok_has_a_number_outside_one_to_five(number):
    assert by_number(number) is None


def test_every_kapstok_has_its_own_emoji():
    assert len({kapstok.emoji for kapstok in KAPSTOKKEN}) == len(KAPSTOKKEN)


def test_every_kapstok_has_a_title_and_an_intro_of_its_own():
    for kapstok in KAPSTOKKEN:
        assert kapstok.emoji.strip()
        assert kapstok.title.strip()
        assert kapstok.intro.strip()
    assert len({kapstok.title for kapstok in KAPSTOKKEN}) == len(KAPSTOKKEN)
    assert len({kapstok.intro for kapstok in KAPSTOKKEN}) == len(KAPSTOKKEN)


def test_board_members_may_ask_on_the_relationship_and_guidance_kapstokken_only():
    assert set(ASKING) == {1, 2}
    assert {RELATIONSHIP.number, GUIDANCE.number} == ASKING
    assert ASKING <= NUMBERS
