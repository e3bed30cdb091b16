"""/mydata names what a board member did for their association with other associations, and the
contact they typed; /forgetme erases that contact and keeps the rest without them."""

from __future__ import annotations

import pytest

from bot.domain.profiles import ContactKind
from tests.client import say
from tests.stories import approved_member


@pytest.mark.parametrize("language", ("nl", "en"))
async def test_mydata_shows_the_typed_contact_and_forgetme_erases_it(kapstok, admin, language):
    member = await approved_member(kapstok, admin, language=language)
    store = kapstok.app.bot_data.store
    association = (await store.profile(member.user_id)).association_id
    await store.profiles.set_contact_text(
        association, ContactKind.PHONE, "+32 470 12 34 56", member.user_id
    )
    answer = await member.send("/mydata")
    assert (
        say(
            language,
            "The contact you gave in your association's profile: {contact}",
            contact="+32 470 12 34 56",
        )
        in answer[-1].text
    )
    await store.forget_person(member.user_id)
    profile = await store.profiles.get(association)
    assert profile.contact_text is None
