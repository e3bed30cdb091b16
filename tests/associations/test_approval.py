"""The liaison side: confirming or rejecting new associations, and who may do that."""

from __future__ import annotations

import copy
from datetime import datetime

from bot import i18n
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person, label, say
from tests.fake_telegram import html_to_text


def approve() -> str:
    """The Approve button, as the liaison group (nl) shows it."""
    return label("nl", "✅ Approve")


def reject() -> str:
    return label("nl", "❌ Reject")


KAPSTOKKEN = {
    "nl": (
        "Goede verstandhouding",
        "Goede begeleiding",
        "Samenwerking tussen verenigingen",
        "Samenwerking rond activiteiten",
        "Financiële en materiële ondersteuning",
    ),
    "fr": (
        "Bonne entente",
        "Bon accompagnement",
        "Collaboration entre associations",
        "Collaboration autour des activités",
        "Soutien financier et matériel",
    ),
}

ONLY_LIAISONS = "Only liaison officers of the municipality can do this."
ONLY_ADMINS = "Only admins of Kapstok can do this."
NO_LONGER_VALID = "This button is no longer valid."
ALREADY_APPROVED = "{association} was already approved by {liaison}."
APPROVED_LINE = "✅ Approved by {liaison} on {date}."
REJECTED_LINE = "❌ Rejected by {liaison} on {date}: {reason}"
WELCOME = (
    "Good news: <b>{association}</b> is confirmed by the municipality. "
    "Welcome to Kapstok! Choose a kapstok:"
)
NOT_CONFIRMED = (
    "The municipality did not confirm <b>{association}</b>. The reason given: "
    "{reason}\n\nYou can register again with /start, or contact the "
    "municipality's association desk."
)
STILL_PENDING = (
    "Hello {name}! Your association <b>{association}</b> is waiting for a liaison officer "
    "of the municipality to confirm it. I will let you know as soon as that happens.\n\n"
    "Meanwhile you can use /language, /help and /mydata."
)
REGISTERED = (
    "Thank you! <b>{association}</b> is registered. A liaison officer of the municipality "
    "will confirm it, and I will let you know as soon as that happens.\n\n"
    "Meanwhile you can use /language, /help and /mydata."
)
REJECT_PROMPT = (
    "{liaison}, why do you reject <b>{association}</b>? Reply to this message with the "
    "reason; I will send it to the board. /cancel keeps the association pending."
)
REJECTED_REPLY = "Rejected. I sent the reason to the board of {association}."
LIAISON_USAGE = (
    "Use /liaison add or /liaison remove as a reply to a message of that person in the "
    "liaison group, or followed by their Telegram user id: /liaison add 12345678"
)
ADMIN_NAME = "Annelies Peeters"


# --- helpers -------------------------------------------------------------------------------


async def register(
    member: Person,
    name: str,
    kind: str = "Youth",
    description: str = "We play outside every Sunday with the children of the village.",
) -> Message:
    """A board member registers an association; return its card in the liaison group."""
    cards_before = len(member.bot.group())
    await member.send("/start")
    await member.press(label(member.language, "Register my association"))
    await member.send(name)
    await member.press(label(member.language, kind, "kind"))
    await member.send(description)
    assert member.last.text == say(member.language, REGISTERED, association=name)
    group = member.bot.group()
    assert len(group) == cards_before + 1, "no card appeared in the liaison group"
    card = group[-1]
    assert name in card
    assert card.buttons == [approve(), reject()]
    return card


def card_now(kapstok: Kapstok, card: Message) -> Message:
    """The message (a card) as it looks now, after any edits."""
    key = (card.raw["chat"]["id"], card.raw["message_id"])
    return Message(kapstok.telegram.messages[key])


def snapshot(message: Message) -> Message:
    """The message as it looks at this moment: later edits do not change the copy."""
    return Message(copy.deepcopy(message.raw))


def when(language: str, moment: datetime) -> str:
    with i18n.use_language(language):
        return i18n.format_datetime(moment)


def on_day(language: str, moment: datetime) -> str:
    with i18n.use_language(language):
        return i18n.format_date(moment)


def say_n(language: str, singular: str, plural: str, count: int) -> str:
    with i18n.use_language(language):
        text = i18n.ngettext(singular, plural, count)
    return html_to_text(text.format(count=count))


async def write_in_group(person: Person, text: str) -> Message:
    """Someone writes in the liaison group; return their message (to reply to)."""
    message = person._message(person.bot.telegram.chat(LIAISON_CHAT_ID))
    message["text"] = text
    before = len(person.bot.group())
    await person.bot.process({"message": message})
    assert len(person.bot.group()) == before, "the bot answered an ordinary group message"
    return Message(message)


async def appoint(admin: Person, person: Person) -> None:
    """The admin makes someone a liaison officer by their user id."""
    full_name = " ".join(filter(None, (person.first_name, person.last_name)))
    replies = await admin.send_in_group(f"/liaison add {person.user_id}")
    assert replies[-1].text == say("nl", "{name} is now a liaison officer.", name=full_name)


def assert_pending(kapstok: Kapstok, card: Message) -> None:
    assert card_now(kapstok, card).buttons == [approve(), reject()]


async def assert_member_waits(member: Person, association: str) -> None:
    await member.send("/start")
    assert member.last.text == say(
        member.language, STILL_PENDING, name=member.first_name, association=association
    )
    assert member.last.buttons == []


# --- 1. approving ----------------------------------------------------------------------------


async def test_approval_shows_on_the_card_and_welcomes_the_board_in_their_language(kapstok, admin):
    for user_id, first_name, language, name in (
        (101, "Jan", "nl", "KSA Sint-Jan"),
        (102, "Sophie", "fr", "Chorale La Lyre"),
    ):
        member = kapstok.person(user_id, first_name, language)
        card = await register(member, name)
        inbox_before = len(member.inbox)

        await admin.press_in_group(approve(), on=card)

        assert admin.alerts[-1] == say("nl", "Approved.")
        card = card_now(kapstok, card)
        assert say("nl", APPROVED_LINE, liaison=ADMIN_NAME, date=when("nl", kapstok.clock.now)) in (
            card.text
        )
        assert name in card
        assert card.buttons == []

        assert len(member.inbox) == inbox_before + 1
        welcome = member.last
        assert welcome.text == say(language, WELCOME, association=name)
        for kapstok_name in KAPSTOKKEN[language]:
            assert any(kapstok_name in button for button in welcome.buttons), kapstok_name
        assert label(language, "👥 Our association") in welcome.buttons

        # From now on /start shows the five kapstokken.
        await member.send("/start")
        for kapstok_name in KAPSTOKKEN[language]:
            assert any(kapstok_name in button for button in member.last.buttons)

        kapstok.clock.advance(hours=1)


# --- 2. only liaison officers decide ---------------------------------------------------------


async def test_someone_who_is_no_liaison_cannot_approve_or_reject(kapstok, admin):
    member = kapstok.person(201, "Chloé", "fr")
    card = await register(member, "Basket Club Wemmel", kind="Sport")
    bystander = kapstok.person(202, "Wout", "nl")
    await write_in_group(bystander, "Goedemorgen allemaal!")

    for person in (member, bystander):
        for button in (approve(), reject()):
            answers = await person.press_in_group(button, on=card)
            assert answers == []
            assert person.alerts[-1] == say(person.language, ONLY_LIAISONS)

    assert len(member.alerts) == 2
    assert len(bystander.alerts) == 2
    assert_pending(kapstok, card)
    assert len(kapstok.group()) == 1
    await assert_member_waits(member, "Basket Club Wemmel")


# --- 3. rejecting with a reason --------------------------------------------------------------


async def test_rejection_asks_a_reason_that_goes_to_the_applicant_who_may_register_again(
    kapstok, admin
):
    member = kapstok.person(301, "Lucie", "fr")
    name = "Les Amis du Quartier"
    card = await register(member, name, kind="Neighbourhood")

    prompts = await admin.press_in_group(reject(), on=card)
    assert len(prompts) == 1
    prompt = prompts[0]
    assert prompt.text == say("nl", REJECT_PROMPT, liaison="Annelies", association=name)
    assert prompt.raw["_reply_markup"]["force_reply"] is True
    assert admin.alerts == []

    reason = "Deze vereniging bestaat al onder een andere naam; vraag een uitnodigingscode."
    replies = await admin.send_in_group(reason, reply_to=prompt)
    assert replies[-1].text == say("nl", REJECTED_REPLY, association=name)

    card = card_now(kapstok, card)
    assert (
        say(
            "nl",
            REJECTED_LINE,
            liaison=ADMIN_NAME,
            date=when("nl", kapstok.clock.now),
            reason=reason,
        )
        in card.text
    )
    assert card.buttons == []
    assert member.last.text == say("fr", NOT_CONFIRMED, association=name, reason=reason)

    # The name is free again, and the applicant is no board member any more.
    await register(member, name, kind="Neighbourhood")
    cards = [m for m in kapstok.group() if m.buttons]
    assert len(cards) == 1  # only the new card waits for a decision


async def test_a_reason_over_the_limit_is_refused_and_a_shorter_one_accepted(kapstok, admin):
    member = kapstok.person(311, "Pieter", "nl")
    name = "Toneelkring Het Masker"
    card = await register(member, name, kind="Culture")
    prompt = (await admin.press_in_group(reject(), on=card))[0]

    replies = await admin.send_in_group("x" * 1001, reply_to=prompt)
    assert replies[-1].text == say(
        "nl",
        "That reason is {length} characters long; the limit is {limit}. Please send a shorter one.",
        length=1001,
        limit=1000,
    )
    assert "1000" in replies[-1].text
    assert_pending(kapstok, card)
    await assert_member_waits(member, name)

    reason = "Een toneelkring met deze naam is al erkend."
    replies = await admin.send_in_group(reason, reply_to=prompt)
    assert replies[-1].text == say("nl", REJECTED_REPLY, association=name)
    assert card_now(kapstok, card).buttons == []
    assert member.last.text == say("nl", NOT_CONFIRMED, association=name, reason=reason)


async def test_an_empty_reason_is_refused_and_the_association_stays_pending(kapstok, admin):
    member = kapstok.person(312, "Pieter", "nl")
    name = "Toneelkring De Spiegel"
    card = await register(member, name, kind="Culture")
    prompt = (await admin.press_in_group(reject(), on=card))[0]

    replies = await admin.send_in_group("   \n  ", reply_to=prompt)

    assert replies[-1].text == say(
        "nl",
        "The reason cannot be empty: the board should know why. Please send it, or /cancel.",
    )
    assert_pending(kapstok, card)
    await assert_member_waits(member, name)
    replies = await admin.send_in_group("Een dubbele inschrijving.", reply_to=prompt)
    assert replies[-1].text == say("nl", REJECTED_REPLY, association=name)


async def test_cancel_while_giving_a_reason_keeps_the_association_pending(kapstok, admin):
    member = kapstok.person(321, "Marie", "nl")
    name = "Oudercomité De Klimop"
    card = await register(member, name, kind="Education and parents")
    inbox_before = len(member.inbox)
    await admin.press_in_group(reject(), on=card)

    replies = await admin.send_in_group("/cancel")
    assert replies[-1].text == say("nl", "Stopped. Nothing was saved.")

    # What the liaison writes next in the group is no reason.
    await write_in_group(admin, "Ik bel hen eerst even op.")
    assert_pending(kapstok, card)
    assert len(member.inbox) == inbox_before
    await assert_member_waits(member, name)


# --- 4. an old card after the decision -------------------------------------------------------


async def test_a_second_liaison_on_an_old_card_hears_who_already_approved(kapstok, admin):
    member = kapstok.person(401, "Tom", "nl")
    name = "Wielerclub De Snelle Trappers"
    card = await register(member, name, kind="Sport")
    old_card = snapshot(card)  # as the second liaison's Telegram still shows it
    colleague = kapstok.person(402, "Koen", "en", last_name="Maes")
    await write_in_group(colleague, "Hello!")
    await appoint(admin, colleague)

    await admin.press_in_group(approve(), on=card)
    assert card_now(kapstok, card).buttons == []
    inbox_after_approval = len(member.inbox)
    group_after_approval = len(kapstok.group())

    for button in (approve(), reject()):
        await colleague.press_in_group(button, on=old_card)
        assert colleague.alerts[-1] == say(
            "en", ALREADY_APPROVED, association=name, liaison=ADMIN_NAME
        )
    assert len(colleague.alerts) == 2

    assert len(member.inbox) == inbox_after_approval
    assert len(kapstok.group()) == group_after_approval  # no reason prompt either
    card = card_now(kapstok, card)
    assert card.buttons == []
    assert say("nl", APPROVED_LINE, liaison=ADMIN_NAME, date=when("nl", kapstok.clock.now)) in (
        card.text
    )


async def test_a_reason_sent_after_a_colleague_approved_rejects_nothing(kapstok, admin):
    member = kapstok.person(411, "Eva", "fr")
    name = "Tennis Club Les Raquettes"
    card = await register(member, name, kind="Sport")
    colleague = kapstok.person(412, "Koen", "nl", last_name="Maes")
    await write_in_group(colleague, "Dag!")
    await appoint(admin, colleague)

    prompt = (await admin.press_in_group(reject(), on=card))[0]
    await colleague.press_in_group(approve(), on=card)
    welcomed = len(member.inbox)
    assert member.last.text == say("fr", WELCOME, association=name)

    replies = await admin.send_in_group("Onvolledige gegevens.", reply_to=prompt)
    assert replies[-1].text == say("nl", ALREADY_APPROVED, association=name, liaison="Koen Maes")
    card = card_now(kapstok, card)
    assert (
        say("nl", APPROVED_LINE, liaison="Koen Maes", date=when("nl", kapstok.clock.now))
        in card.text
    )
    assert len(member.inbox) == welcomed
    await member.send("/start")
    for kapstok_name in KAPSTOKKEN["fr"]:
        assert any(kapstok_name in button for button in member.last.buttons)


# --- 5. appointing and removing liaison officers ---------------------------------------------


async def test_an_admin_appoints_a_liaison_by_replying_and_removes_them_by_id(kapstok, admin):
    bram = kapstok.person(501, "Bram", "nl", last_name="Claes")
    hello = await write_in_group(bram, "Dag collega's, ik ben Bram van de vrijetijdsdienst.")

    replies = await admin.send_in_group("/liaison add", reply_to=hello)
    assert replies[-1].text == say("nl", "{name} is now a liaison officer.", name="Bram Claes")
    replies = await admin.send_in_group("/liaison add", reply_to=hello)
    assert replies[-1].text == say("nl", "{name} already is a liaison officer.", name="Bram Claes")

    # Bram can approve now.
    member = kapstok.person(511, "Ines", "nl")
    card = await register(member, "Schaakclub Paard en Loper", kind="Culture")
    await bram.press_in_group(approve(), on=card)
    assert say(
        "nl", APPROVED_LINE, liaison="Bram Claes", date=when("nl", kapstok.clock.now)
    ) in card_now(kapstok, card)
    assert member.last.text == say("nl", WELCOME, association="Schaakclub Paard en Loper")

    # /liaisons lists the admin and the appointed liaison.
    replies = await admin.send_in_group("/liaisons")
    listing = replies[-1].text
    assert say("nl", "<b>Liaison officers</b>") in listing
    assert say("nl", "• {name} (admin)", name=ADMIN_NAME) in listing
    assert (
        say("nl", "• {name}, since {date}", name="Bram Claes", date=on_day("nl", kapstok.clock.now))
        in listing
    )

    # Bram is no admin: he cannot appoint anyone.
    replies = await bram.send_in_group("/liaison add 599")
    assert replies[-1].text == say("nl", ONLY_ADMINS)
    replies = await admin.send_in_group("/liaisons")
    assert "599" not in replies[-1].text

    replies = await admin.send_in_group("/liaison remove 501")
    assert replies[-1].text == say(
        "nl", "{name} is no longer a liaison officer.", name="Bram Claes"
    )
    replies = await admin.send_in_group("/liaisons")
    assert "Bram Claes" not in replies[-1].text

    other = kapstok.person(512, "Jef", "nl")
    card = await register(other, "Buurtcomité Den Hoek", kind="Neighbourhood")
    await bram.press_in_group(approve(), on=card)
    assert bram.alerts[-1] == say("nl", ONLY_LIAISONS)
    assert_pending(kapstok, card)
    await assert_member_waits(other, "Buurtcomité Den Hoek")


async def test_liaison_command_with_bad_arguments_explains_its_use(kapstok, admin):
    for command in ("/liaison", "/liaison promote 5", "/liaison add abc", "/liaison remove"):
        replies = await admin.send_in_group(command)
        assert replies[-1].text == say("nl", LIAISON_USAGE), command
    replies = await admin.send("/liaison add")
    assert replies[-1].text == say("nl", LIAISON_USAGE)


async def test_an_admin_in_the_configuration_stays_a_liaison(kapstok, admin):
    await admin.send_in_group("/liaisons")
    replies = await admin.send_in_group("/liaison remove 1")
    assert replies[-1].text == say(
        "nl",
        "{name} is an admin in the configuration, and so stays a liaison officer.",
        name=ADMIN_NAME,
    )
    member = kapstok.person(521, "Nora", "nl")
    card = await register(member, "Volleybal Zemst", kind="Sport")
    await admin.press_in_group(approve(), on=card)
    assert card_now(kapstok, card).buttons == []


async def test_only_admins_appoint_liaisons(kapstok, admin):
    member = kapstok.person(531, "Lotte", "fr")
    replies = await member.send("/liaison add 531")
    assert replies[-1].text == say("fr", ONLY_ADMINS)
    stranger = kapstok.person(532, "Dries", "nl")
    replies = await stranger.send_in_group("/liaison add 532")
    assert replies[-1].text == say("nl", ONLY_ADMINS)
    replies = await admin.send_in_group("/liaisons")
    assert "Lotte" not in replies[-1].text
    assert "Dries" not in replies[-1].text


# --- 6. /pending -----------------------------------------------------------------------------


async def test_pending_lists_waiting_associations_and_approving_there_updates_the_group_card(
    kapstok, admin
):
    replies = await admin.send("/pending")
    assert [m.text for m in replies] == [say("nl", "No association is waiting for confirmation.")]

    first = kapstok.person(601, "Elke", "nl")
    second = kapstok.person(602, "Julien", "fr")
    group_card = await register(first, "Harmonie Sint-Cecilia", kind="Culture")
    await register(second, "Club de Pétanque", kind="Sport")

    replies = await admin.send("/pending")
    assert replies[0].text == say_n(
        "nl",
        "{count} association is waiting for confirmation:",
        "{count} associations are waiting for confirmation:",
        2,
    )
    assert len(replies) == 3
    assert "Harmonie Sint-Cecilia" in replies[1]
    assert "Club de Pétanque" in replies[2]
    for card in replies[1:]:
        assert card.buttons == [approve(), reject()]

    await admin.press(approve(), on=replies[1])
    approved = say("nl", APPROVED_LINE, liaison=ADMIN_NAME, date=when("nl", kapstok.clock.now))
    private_card = card_now(kapstok, replies[1])
    assert approved in private_card
    assert private_card.buttons == []
    group_card = card_now(kapstok, group_card)
    assert approved in group_card
    assert group_card.buttons == []
    assert first.last.text == say("nl", WELCOME, association="Harmonie Sint-Cecilia")

    replies = await admin.send("/pending")
    assert replies[0].text == say_n(
        "nl",
        "{count} association is waiting for confirmation:",
        "{count} associations are waiting for confirmation:",
        1,
    )
    assert len(replies) == 2
    assert "Club de Pétanque" in replies[1]


async def test_rejecting_from_a_pending_card_updates_both_cards(kapstok, admin):
    member = kapstok.person(621, "Bart", "nl")
    name = "Duivenbond De Luchtpost"
    group_card = await register(member, name, kind="Other")
    private_card = (await admin.send("/pending"))[1]

    prompts = await admin.press(reject(), on=private_card)
    assert [m.text for m in prompts] == [
        say("nl", REJECT_PROMPT, liaison="Annelies", association=name)
    ]
    reason = "Geen activiteit in onze gemeente."
    replies = await admin.send(reason, reply_to=prompts[0])
    assert replies[-1].text == say("nl", REJECTED_REPLY, association=name)

    rejected = say(
        "nl", REJECTED_LINE, liaison=ADMIN_NAME, date=when("nl", kapstok.clock.now), reason=reason
    )
    group_card = card_now(kapstok, group_card)
    assert rejected in group_card
    assert group_card.buttons == []
    private_card = card_now(kapstok, private_card)
    assert rejected in private_card, "the card the liaison rejected on still looks pending"
    assert private_card.buttons == []
    assert member.last.text == say("nl", NOT_CONFIRMED, association=name, reason=reason)


async def test_a_board_member_may_not_use_pending(kapstok, admin):
    member = kapstok.person(611, "Hanne", "fr")
    await register(member, "Scouts Saint-Georges")
    replies = await member.send("/pending")
    assert [m.text for m in replies] == [say("fr", ONLY_LIAISONS)]
    replies = await member.send("/liaisons")
    assert [m.text for m in replies] == [say("fr", ONLY_LIAISONS)]


# --- 7. forged buttons -----------------------------------------------------------------------


async def test_forged_buttons_are_no_longer_valid_and_change_nothing(kapstok, admin):
    member = kapstok.person(701, "Sam", "nl")
    card = await register(member, "Judoclub Ippon", kind="Sport")
    group_before = [m.raw.copy() for m in kapstok.group()]
    inbox_before = len(member.inbox)

    for data in ("assoc:approve:999", "assoc:approve:abc", "assoc:reject:999", "assoc:reject:"):
        alerts_before = len(admin.alerts)
        await admin.press_data(data, on=card)
        assert admin.alerts[alerts_before:] == [say("nl", NO_LONGER_VALID)], data

    assert [m.raw for m in kapstok.group()] == group_before
    assert len(member.inbox) == inbox_before
    assert_pending(kapstok, card)
    await assert_member_waits(member, "Judoclub Ippon")


# --- 8. names and descriptions with HTML characters ------------------------------------------


async def test_html_characters_in_a_name_and_description_pass_safely(kapstok, admin):
    member = kapstok.person(801, "Gert", "nl")
    name = "Fanfare <De Eendracht> & Co"
    description = "We spelen <b>luid</b> & met plezier, sinds 1897 <3"
    card = await register(member, name, kind="Culture", description=description)
    assert description in card
    assert "&lt;" in card.html

    old_card = snapshot(card)
    await admin.press_in_group(approve(), on=card)
    card = card_now(kapstok, card)
    assert name in card
    assert description in card
    assert card.buttons == []
    assert member.last.text == say("nl", WELCOME, association=name)
    assert name in member.last

    colleague = kapstok.person(802, "Leen", "nl")
    await write_in_group(colleague, "Hallo")
    await appoint(admin, colleague)
    await colleague.press_in_group(approve(), on=old_card)
    assert colleague.alerts[-1] == say("nl", ALREADY_APPROVED, association=name, liaison=ADMIN_NAME)
    assert name in colleague.alerts[-1]


async def test_html_characters_in_a_rejection_reason_pass_safely(kapstok, admin):
    member = kapstok.person(811, "Rita", "nl")
    name = "Kaartclub <Troef> & Zoon"
    card = await register(member, name, kind="Other")
    prompt = (await admin.press_in_group(reject(), on=card))[0]
    assert name in prompt
    reason = "Naam <onduidelijk> & dubbel"
    await admin.send_in_group(reason, reply_to=prompt)
    assert reason in card_now(kapstok, card)
    assert member.last.text == say("nl", NOT_CONFIRMED, association=name, reason=reason)


# --- 9. a board member who blocked the bot ---------------------------------------------------


async def test_approval_succeeds_when_the_board_member_blocked_the_bot(kapstok, admin):
    member = kapstok.person(901, "Wim", "nl")
    card = await register(member, "Petanqueclub De Boules", kind="Sport")
    inbox_before = len(member.inbox)
    kapstok.telegram.blocked.add(member.user_id)

    await admin.press_in_group(approve(), on=card)

    assert admin.alerts[-1] == say("nl", "Approved.")
    card = card_now(kapstok, card)
    assert card.buttons == []
    assert say("nl", APPROVED_LINE, liaison=ADMIN_NAME, date=when("nl", kapstok.clock.now)) in (
        card.text
    )
    assert len(member.inbox) == inbox_before
    # No error notice in the group; the topic hears that nobody of the board can be reached.
    (notice,) = kapstok.group()[1:]
    assert "📵" in notice.text

    # Once unblocked, the member finds the association approved.
    kapstok.telegram.blocked.discard(member.user_id)
    await member.send("/start")
    for kapstok_name in KAPSTOKKEN["nl"]:
        assert any(kapstok_name in button for button in member.last.buttons)


# --- 10. a restart halfway through a rejection -----------------------------------------------


async def test_a_restart_while_typing_a_reason_loses_nothing(kapstok, admin):
    member = kapstok.person(1001, "Aline", "fr")
    name = "Cercle Horticole"
    card = await register(member, name, kind="Other")
    prompt = (await admin.press_in_group(reject(), on=card))[0]

    await kapstok.restart()

    reason = "Cette association est déjà connue sous un autre nom."
    replies = await admin.send_in_group(reason, reply_to=prompt)
    assert replies[-1].text == say("nl", REJECTED_REPLY, association=name)
    card = card_now(kapstok, card)
    assert card.buttons == []
    assert (
        say(
            "nl",
            REJECTED_LINE,
            liaison=ADMIN_NAME,
            date=when("nl", kapstok.clock.now),
            reason=reason,
        )
        in card.text
    )
    assert member.last.text == say("fr", NOT_CONFIRMED, association=name, reason=reason)
