"""/profile: a board member edits what other associations may see — a description, what the
association offers and looks for, how to reach it — and lists it in the directory, or not."""

from __future__ import annotations

import pytest

from bot import i18n
from bot.domain.profiles import ContactKind, Offer
from handlers.cooperation.contact import contact_html
from tests.client import label, say
from tests.steps import invite, page_label
from tests.stories import approved_member

NONE_YET = "<i>none yet</i>"
LISTED = "<b>In the directory:</b> ✅ listed"
NOT_LISTED = "<b>In the directory:</b> not listed"
TOO_LONG = (
    "That description is {length} characters long; the limit is {limit}. Please send a shorter one."
)
WRONG_PHONE = (
    "That does not look like a phone number. Type its 9 to 15 digits, with + in "
    "front if you like, like 0470 12 34 56 or +32 470 12 34 56."
)
WRONG_EMAIL = "That does not look like an e-mail address. Type one like info@our-club.be."
NEEDS_BOTH = "Before listing your association, add a description and a contact."
NEEDS_DESCRIPTION = "Before listing your association, add a description."
NEEDS_CONTACT = "Before listing your association, add a contact."
NOT_TEXT = "Please send this as a text message."
DESCRIPTION = "Wij zijn een jeugdbeweging met 120 leden en een lokaal aan de kerk."
LANGUAGES = ("nl", "fr")


async def member(kapstok, admin, language: str, **more):
    return await approved_member(
        kapstok, admin, 101, "Sofie", language, association="KSA Sint-Jan", **more
    )


async def profile_of(kapstok, person):
    store = kapstok.app.bot_data.store
    association_id = (await store.profile(person.user_id)).association_id
    return await store.profiles.get(association_id)


def line(language: str, msgid: str, **values) -> str:
    return say(language, msgid, **values)


# --- the way in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_kapstok_3_leads_to_the_profile_and_the_directory(kapstok, admin, language):
    sofie = await member(kapstok, admin, language)
    await sofie.send("/menu")
    await sofie.press(page_label(language, 3))
    assert sofie.last.buttons[:2] == [
        label(language, "🪪 Our profile"),
        label(language, "🔎 Directory"),
    ]
    await sofie.press(label(language, "🪪 Our profile"))
    page = sofie.last
    assert page.text.startswith(
        say(language, "<b>🪪 The profile of {association}</b>", association="KSA Sint-Jan")
    )
    assert say(language, NOT_LISTED) in page.text
    none = say(language, NONE_YET)
    for msgid in ("<b>We offer:</b> {offers}", "<b>We look for:</b> {offers}"):
        assert line(language, msgid, offers=none) in page.text
    assert line(language, "<b>Contact:</b> {contact}", contact=none) in page.text
    assert page.buttons == [
        label(language, "✏️ Description"),
        label(language, "🎁 What we offer"),
        label(language, "🔍 What we look for"),
        label(language, "📇 Contact"),
        label(language, "✅ List us in the directory"),
        label(language, "🔎 Directory"),
        label(language, "⬅️ Menu"),
    ]
    assert await profile_of(kapstok, sofie) is None  # looking writes nothing


async def test_a_liaison_sees_kapstok_3_without_the_board_members_buttons(kapstok, admin):
    await admin.send("/start")
    await admin.press(page_label("nl", 3))
    assert label("nl", "🪪 Our profile") not in admin.last.buttons
    replies = await admin.send("/profile")
    assert replies[-1].text == say(
        "nl",
        "This is for board members of an association. Register your association or enter an "
        "invite code first: send /start.",
    )


# --- the description ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_description_is_typed_checked_and_saved(kapstok, admin, language):
    sofie = await member(kapstok, admin, language)
    await sofie.send("/profile")
    await sofie.press(label(language, "✏️ Description"))
    assert sofie.last.text.startswith(
        say(
            language,
            "Send a short description of {association} for other associations: what you do, "
            "for whom, where. At most {limit} characters.",
            association="KSA Sint-Jan",
            limit=500,
        )
    )
    replies = await sofie.send("x" * 501)
    assert replies[-1].text == say(language, TOO_LONG, length=501, limit=500)
    replies = await sofie.send_photo()
    assert replies[-1].text == say(language, NOT_TEXT)
    assert await profile_of(kapstok, sofie) is None

    replies = await sofie.send(f"  {DESCRIPTION}  ")
    assert replies[-1].text.startswith(say(language, "✅ Saved."))
    assert line(language, "<b>About us:</b> {description}", description=DESCRIPTION) in (
        replies[-1].text
    )
    profile = await profile_of(kapstok, sofie)
    assert (profile.description, profile.language, profile.listed) == (
        DESCRIPTION,
        language,
        False,
    )
    # The step is over: another text is no description.
    await sofie.send("Nog iets")
    assert (await profile_of(kapstok, sofie)).description == DESCRIPTION

    await sofie.press(label(language, "✏️ Description"))
    longest = "<b>" + "é" * 493 + "</b>"
    replies = await sofie.send(longest)
    assert (await profile_of(kapstok, sofie)).description == longest
    assert longest in replies[-1].text  # escaped, shown as typed


@pytest.mark.parametrize("language", LANGUAGES)
async def test_typing_a_description_can_be_left(kapstok, admin, language):
    sofie = await member(kapstok, admin, language)
    await sofie.send("/profile")
    await sofie.press(label(language, "✏️ Description"))
    await sofie.press(label(language, "⬅️ Back"))
    assert say(language, NOT_LISTED) in sofie.last.text
    await sofie.send(DESCRIPTION)
    assert await profile_of(kapstok, sofie) is None

    await sofie.send("/profile")
    await sofie.press(label(language, "✏️ Description"))
    replies = await sofie.send("/cancel")
    assert replies[-1].text == say(language, "Stopped. Nothing was saved.")
    await sofie.send(DESCRIPTION)
    assert await profile_of(kapstok, sofie) is None

    # Another button of the profile (on an older page) ends the typing too.
    older = (await sofie.send("/profile"))[0]
    await sofie.send("/profile")
    await sofie.press(label(language, "✏️ Description"))
    await sofie.press(label(language, "🎁 What we offer"), on=older)
    await sofie.send(DESCRIPTION)
    assert await profile_of(kapstok, sofie) is None


# --- what it offers and looks for ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_offers_and_needs_are_toggled_several_at_once(kapstok, admin, language):
    sofie = await member(kapstok, admin, language)
    await sofie.send("/profile")
    await sofie.press(label(language, "🎁 What we offer"))
    choice = sofie.last
    assert choice.text.startswith(
        say(
            language,
            "<b>🎁 What {association} can offer other associations</b>",
            association="KSA Sint-Jan",
        )
    )
    gear, venue = (label(language, name, "offer") for name in ("Gear", "A venue"))
    assert f"▫️ {gear}" in choice.buttons
    await sofie.press(f"▫️ {gear}", on=choice)
    await sofie.press(f"▫️ {venue}", on=choice)
    assert f"✅ {gear}" in choice.buttons and f"✅ {venue}" in choice.buttons
    await sofie.press(f"✅ {venue}", on=choice)
    assert f"▫️ {venue}" in choice.buttons
    await sofie.press(label(language, "⬅️ Back"), on=choice)
    await sofie.press(label(language, "🔍 What we look for"))
    needs = sofie.last
    assert needs.text.startswith(
        say(
            language,
            "<b>🔍 What {association} looks for in other associations</b>",
            association="KSA Sint-Jan",
        )
    )
    for name in ("Volunteers", "Know-how"):
        await sofie.press(f"▫️ {label(language, name, 'offer')}", on=needs)
    profile = await profile_of(kapstok, sofie)
    assert profile.offers == {Offer.GEAR}
    assert profile.needs == {Offer.VOLUNTEERS, Offer.KNOW_HOW}
    await sofie.press(label(language, "⬅️ Back"), on=needs)
    volunteers, know_how = (label(language, n, "offer") for n in ("Volunteers", "Know-how"))
    assert line(language, "<b>We offer:</b> {offers}", offers=gear) in sofie.last.text
    assert (
        line(language, "<b>We look for:</b> {offers}", offers=f"{volunteers}, {know_how}")
        in sofie.last.text
    )


# --- the contact ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_board_member_is_the_contact_by_name_and_username(kapstok, admin, language):
    sofie = await member(kapstok, admin, language, last_name="Maes")
    pieter = kapstok.person(102, "Pieter", language, last_name="Claes", username="pieter_ksa")
    await invite(sofie, pieter)
    await sofie.send("/profile")
    await sofie.press(label(language, "📇 Contact"))
    assert sofie.last.buttons == [
        "👤 Sofie Maes",
        "👤 Pieter Claes",
        label(language, "📞 A phone number"),
        label(language, "✉️ An e-mail address"),
        label(language, "⬅️ Back"),
    ]
    await sofie.press("👤 Pieter Claes")
    contact = say(
        language, "{name} (@{username} on Telegram)", name="Pieter Claes", username="pieter_ksa"
    )
    assert line(language, "<b>Contact:</b> {contact}", contact=contact) in sofie.last.text
    profile = await profile_of(kapstok, sofie)
    assert (profile.contact_kind, profile.contact_user_id) == (ContactKind.MEMBER, 102)

    # Without a username, others see only the name: the page says so.
    await sofie.press(label(language, "📇 Contact"))
    assert "✅ Pieter Claes" in sofie.last.buttons
    await sofie.press("👤 Sofie Maes")
    assert line(language, "<b>Contact:</b> {contact}", contact="Sofie Maes") in sofie.last.text
    assert (
        say(
            language,
            "ℹ️ {name} has no Telegram username: others see only the name. Choose a phone "
            "number or an e-mail address instead, or ask them to choose a username in Telegram.",
            name="Sofie Maes",
        )
        in sofie.last.text
    )


async def test_a_board_member_of_another_association_cannot_be_chosen(kapstok, admin):
    sofie = await member(kapstok, admin, "nl")
    jan = await approved_member(kapstok, admin, 201, "Jan", "fr", association="Chiro")
    await sofie.send("/profile")
    await sofie.press(label("nl", "📇 Contact"))
    page = sofie.last
    await sofie.press_data(page.callback_data("👤 Sofie").replace("101", str(jan.user_id)), on=page)
    assert sofie.alerts[-1] == say("nl", "This button is no longer valid.")
    assert await profile_of(kapstok, sofie) is None


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_phone_number_is_checked_for_its_shape(kapstok, admin, language):
    sofie = await member(kapstok, admin, language)
    await sofie.send("/profile")
    await sofie.press(label(language, "📇 Contact"))
    await sofie.press(label(language, "📞 A phone number"))
    for wrong in ("12345", "bel me", "0470 12 34 56 78 90 12 34", "+32 (0)470 12 34 56"):
        replies = await sofie.send(wrong)
        assert replies[-1].text == say(language, WRONG_PHONE)
    assert await profile_of(kapstok, sofie) is None
    replies = await sofie.send("+32 470/12.34.56")
    contact = say(language, "phone: {number}", number="+32 470/12.34.56")
    assert line(language, "<b>Contact:</b> {contact}", contact=contact) in replies[-1].text
    profile = await profile_of(kapstok, sofie)
    assert (profile.contact_kind, profile.contact_text) == (ContactKind.PHONE, "+32 470/12.34.56")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_email_address_is_checked_for_its_shape(kapstok, admin, language):
    sofie = await member(kapstok, admin, language)
    await sofie.send("/profile")
    await sofie.press(label(language, "📇 Contact"))
    await sofie.press(label(language, "✉️ An e-mail address"))
    for wrong in ("info@ksa", "info ksa@x.be", "info@@ksa.be", "<b>info@ksa.be</b>"):
        replies = await sofie.send(wrong)
        assert replies[-1].text == say(language, WRONG_EMAIL)
    replies = await sofie.send_photo()
    assert replies[-1].text == say(language, NOT_TEXT)
    replies = await sofie.send(" info@ksa-sint-jan.be ")
    contact = say(language, "e-mail: {address}", address="info@ksa-sint-jan.be")
    assert line(language, "<b>Contact:</b> {contact}", contact=contact) in replies[-1].text
    profile = await profile_of(kapstok, sofie)
    assert (profile.contact_kind, profile.contact_text) == (
        ContactKind.EMAIL,
        "info@ksa-sint-jan.be",
    )


async def test_typing_a_contact_can_be_left_with_back(kapstok, admin):
    sofie = await member(kapstok, admin, "fr")
    await sofie.send("/profile")
    await sofie.press(label("fr", "📇 Contact"))
    await sofie.press(label("fr", "📞 A phone number"))
    await sofie.press(label("fr", "⬅️ Back"))
    assert label("fr", "📞 A phone number") in sofie.last.buttons
    await sofie.send("0470 12 34 56")
    assert await profile_of(kapstok, sofie) is None


# --- listing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_listing_is_refused_until_a_description_and_a_contact_are_there(
    kapstok, admin, language
):
    sofie = await member(kapstok, admin, language)
    await sofie.send("/profile")
    page = sofie.last
    list_us = label(language, "✅ List us in the directory")
    await sofie.press(list_us, on=page)
    assert sofie.alerts[-1] == say(language, NEEDS_BOTH)

    await sofie.press(label(language, "✏️ Description"), on=page)
    await sofie.send(DESCRIPTION)
    await sofie.press(list_us)
    assert sofie.alerts[-1] == say(language, NEEDS_CONTACT)
    assert not (await profile_of(kapstok, sofie)).listed

    await sofie.press(label(language, "📇 Contact"))
    await sofie.press("👤 Sofie")
    page = sofie.last
    assert (
        say(language, "Nobody else sees any of this until you list it with the button below.")
        in page.text
    )
    await sofie.press(list_us, on=page)
    assert sofie.alerts[-1] == say(
        language, "Listed: other associations can find you in the directory now."
    )
    assert say(language, LISTED) in page.text
    assert (await profile_of(kapstok, sofie)).listed

    await sofie.press(label(language, "🚫 Take us out of the directory"), on=page)
    assert sofie.alerts[-1] == say(
        language, "Taken out of the directory: other associations no longer see your profile."
    )
    assert say(language, NOT_LISTED) in page.text
    assert not (await profile_of(kapstok, sofie)).listed


async def test_listing_without_a_description_is_refused(kapstok, admin):
    sofie = await member(kapstok, admin, "fr")
    await sofie.send("/profile")
    await sofie.press(label("fr", "📇 Contact"))
    await sofie.press(label("fr", "✉️ An e-mail address"))
    await sofie.send("info@ksa.be")
    await sofie.press(label("fr", "✅ List us in the directory"))
    assert sofie.alerts[-1] == say("fr", NEEDS_DESCRIPTION)
    assert not (await profile_of(kapstok, sofie)).listed


async def test_a_pending_association_has_no_profile_yet(kapstok):
    from tests.stories import register

    ward = kapstok.person(209, "Ward", "nl")
    await register(ward, "Chiro Spelewei")
    replies = await ward.send("/profile")
    assert replies[-1].text == say(
        "nl",
        "Your association is still waiting for a liaison officer's confirmation. As soon as it "
        "is confirmed, you can use this.",
    )


# --- the contact others get, and forgetting ------------------------------------------------------


async def test_contact_html_says_the_contact_in_the_current_language(kapstok, admin):
    sofie = await member(kapstok, admin, "nl", last_name="Maes", username="sofie_m")
    store = kapstok.app.bot_data.store
    association_id = (await store.profile(sofie.user_id)).association_id
    context = kapstok.job_context()
    assert await contact_html(context, association_id) is None
    await store.profiles.set_contact_member(association_id, sofie.user_id, sofie.user_id)
    with i18n.use_language("fr"):
        html = await contact_html(context, association_id)
    assert html == i18n_text("fr", "{name} (@{username} on Telegram)").format(
        name='<a href="tg://user?id=101">Sofie Maes</a>', username="sofie_m"
    )
    await store.profiles.set_contact_text(association_id, ContactKind.EMAIL, "a&b@x.be", 101)
    with i18n.use_language("nl"):
        html = await contact_html(context, association_id)
    assert html == i18n_text("nl", "e-mail: {address}").format(address="a&amp;b@x.be")
    assert await contact_html(context, 999) is None


def i18n_text(language: str, msgid: str) -> str:
    with i18n.use_language(language):
        return i18n._(msgid)


async def test_forgetting_who_typed_the_phone_leaves_a_listed_profile_without_contact(
    kapstok, admin
):
    sofie = await member(kapstok, admin, "nl")
    pieter = kapstok.person(102, "Pieter", "nl")
    await invite(sofie, pieter)
    await pieter.send("/profile")
    await pieter.press(label("nl", "✏️ Description"))
    await pieter.send(DESCRIPTION)
    await pieter.press(label("nl", "📇 Contact"))
    await pieter.press(label("nl", "📞 A phone number"))
    await pieter.send("0470 12 34 56")
    await pieter.press(label("nl", "✅ List us in the directory"))
    assert (await profile_of(kapstok, sofie)).listed

    question = (await pieter.send("/forgetme"))[0]
    await pieter.press(label("nl", "Yes, erase my data"), on=question)

    profile = await profile_of(kapstok, sofie)
    assert (profile.listed, profile.contact_kind, profile.contact_text) == (True, None, None)
    rows = await kapstok.app.bot_data.store.db.fetchall(
        "SELECT * FROM association_profiles WHERE contact_text LIKE '%0470%'"
        " OR contact_set_by = 102"
    )
    assert rows == []
    page = (await sofie.send("/profile"))[0]
    assert (
        say(
            "nl",
            "⚠️ Your profile names no contact any more: choose one, so that others can reach you.",
        )
        in page.text
    )
    assert "0470" not in page.text
