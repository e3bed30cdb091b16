"""Calls (oproepen): composed with /call, previewed, sent through the outbox to the boards of
listed, approved associations of the chosen kinds that want calls, shown in the liaison group;
answered with *Respond*; listed and closed with /calls; withdrawn by a liaison with a reason."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.calls import MAX_DAYS, MAX_OPEN, MAX_TEXT
from bot.domain.preferences import Kind
from handlers import callbacks
from tests.client import LIAISON_CHAT_ID, label, say
from tests.steps import invite, list_association
from tests.stories import approved_member, register

TEXT = "Wie helpt ons tenten opzetten voor het zomerfeest? Wij trakteren op frietjes."
A_PHONE, B_PHONE = "0470 11 11 11", "0470 22 22 22"


async def _associations(kapstok, admin, caller_language="nl", other_language="fr"):
    """A (Sofie, Wout; youth) calls. B (Pierre; youth) and C (Jana; sport) are listed; D
    (youth) is not listed; E (youth) is listed but Eva turned calls off."""
    sofie = await approved_member(kapstok, admin, 101, "Sofie", caller_language, association="KSA")
    wout = kapstok.person(102, "Wout", caller_language)
    await invite(sofie, wout)
    pierre = await approved_member(
        kapstok, admin, 201, "Pierre", other_language, association="Chiro"
    )
    jana = kapstok.person(301, "Jana", other_language)
    await register(jana, "Voetbalclub", kind="Sport")
    await admin.press_in_group(label("nl", "✅ Approve"))
    dirk = await approved_member(kapstok, admin, 401, "Dirk", "nl", association="Scouts")
    eva = await approved_member(kapstok, admin, 501, "Eva", "nl", association="Jeugdhuis")
    await list_association(kapstok, sofie, A_PHONE, listed=False)
    await list_association(kapstok, pierre, B_PHONE)
    await list_association(kapstok, jana, "0470 33 33 33")
    await list_association(kapstok, eva, "0470 55 55 55")
    await kapstok.app.bot_data.store.preferences.turn(eva.user_id, Kind.CALLS, False)
    return sofie, wout, pierre, jana, dirk, eva


def _calls_in(person) -> list:
    return [m for m in person.inbox if TEXT in m.text]


async def _compose(person, text=TEXT, purpose="🙋 Volunteers", photo=False):
    language = person.language
    await person.send("/call")
    await person.press(label(language, purpose))
    if photo:
        await person.send_photo(text)
    else:
        await person.send(text)


async def _publish(person, text=TEXT, *, leave_out=(), days="30 days", photo=False):
    language = person.language
    await _compose(person, text, photo=photo)
    for kind in leave_out:
        await person.press(f"✅ {label(language, kind, 'kind')}")
    await person.press(label(language, "Next ▶"))
    await person.press(label(language, days))
    await person.press(label(language, "📢 Publish"))


async def test_a_call_reaches_the_listed_boards_of_its_kinds_and_the_liaison_group(kapstok, admin):
    sofie, wout, pierre, jana, dirk, eva = await _associations(kapstok, admin, "nl", "fr")
    await _compose(sofie)
    await sofie.press(f"✅ {label('nl', 'Sport', 'kind')}")
    assert f"▫️ {label('nl', 'Sport', 'kind')}" in sofie.last.buttons
    await sofie.press(label("nl", "Next ▶"))
    await sofie.press(label("nl", "30 days"))
    preview = [m.text for m in sofie.inbox[-3:]]
    assert any(TEXT in text and "KSA" in text for text in preview)
    assert (
        say(
            "nl",
            "It goes to {members} board member of {associations} association(s) ({kinds}).",
            members=1,
            associations=1,
            kinds="",
        ).split("(")[0]
        in preview[-1]
    )
    await sofie.press(label("nl", "📢 Publish"))
    assert "#1" in sofie.last.text
    # Pierre (listed, youth) gets it in French with Respond and 🔕; nobody else does.
    got = _calls_in(pierre)
    assert len(got) == 1
    assert got[0].buttons == [label("fr", "💬 Respond"), label("fr", "🔕 Fewer messages like this")]
    assert "KSA" in got[0].text
    for person in (jana, dirk, eva, wout):
        assert _calls_in(person) == []
    # The liaison group sees it in KSA's topic, with Withdraw.
    topic = kapstok.in_topic(kapstok.topic_of("KSA"))
    shown = [m for m in topic if TEXT in m.text]
    assert shown and shown[-1].buttons == [label("nl", "↩️ Withdraw")]


async def test_a_call_to_no_kinds_or_to_nobody_is_refused(kapstok, admin):
    sofie, *_rest = await _associations(kapstok, admin, "fr", "nl")
    await _compose(sofie)
    for kind in ("Youth", "Sport", "Culture", "Social and welfare", "Neighbourhood"):
        await sofie.press(f"✅ {label('fr', kind, 'kind')}")
    await sofie.press(f"✅ {label('fr', 'Education and parents', 'kind')}")
    await sofie.press(f"✅ {label('fr', 'Other', 'kind')}")
    await sofie.press(label("fr", "Next ▶"))
    assert sofie.alerts[-1] == say("fr", "Choose at least one kind of association for your call.")
    await sofie.press(f"▫️ {label('fr', 'Culture', 'kind')}")
    await sofie.press(label("fr", "Next ▶"))
    assert sofie.alerts[-1] == say(
        "fr",
        "No association of these kinds in the directory can get a call now. Choose other "
        "kinds, or try again later.",
    )
    await sofie.press(label("fr", "Every kind"))
    await sofie.press(label("fr", "Next ▶"))
    assert label("fr", "30 days") in sofie.last.buttons


async def test_wrong_texts_and_dates_are_explained_and_asked_again(kapstok, admin):
    sofie, *_rest = await _associations(kapstok, admin, "nl", "fr")
    await sofie.send("/call")
    await sofie.press(label("nl", "🏠 A venue"))
    answer = await sofie.send("x" * (MAX_TEXT + 1))
    assert (
        say(
            "nl",
            "That text is {length} characters long; the limit is {limit}. Please send a shorter "
            "one.",
            length=MAX_TEXT + 1,
            limit=MAX_TEXT,
        )
        in answer[-1].text
    )
    again = say(
        "nl",
        "Please send your call as a text, or as a photo with the text as its caption; or /cancel.",
    )
    assert again in (await sofie.send_photo())[-1].text
    assert again in (await sofie.send_voice())[-1].text
    await sofie.send("Wie heeft een zaal voor 80 mensen op 3 mei?")
    await sofie.press(label("nl", "Next ▶"))
    example = (kapstok.clock.now + timedelta(days=14)).strftime("%d/%m/%Y")
    assert (
        say(
            "nl",
            "That day has already passed. Type a date from today on, like {example}.",
            example=example,
        )
        in (await sofie.send("1/1/2026"))[-1].text
    )
    assert str(MAX_DAYS) in (await sofie.send("1/1/2028"))[-1].text
    assert (
        say(
            "nl",
            "I cannot use that as a date. Type a date like {example}, or choose below.",
            example=example,
        )
        in (await sofie.send("volgende week"))[-1].text
    )
    await sofie.send("24/12/2026")
    assert "24 december 2026" in "".join(m.text for m in sofie.inbox[-3:])
    assert sofie.last.buttons == [label("nl", "📢 Publish"), label("nl", "Cancel")]
    await sofie.press(label("nl", "Cancel"))
    assert await kapstok.app.bot_data.store.calls.get(1) is None


async def test_at_most_three_open_calls(kapstok, admin):
    sofie, *_rest = await _associations(kapstok, admin, "fr", "nl")
    for _ in range(MAX_OPEN):
        await _publish(sofie)
    answer = await sofie.send("/call")
    assert (
        say(
            "fr",
            "Your association has {count} open calls, the most there can be at once. Close one "
            "with /calls first.",
            count=MAX_OPEN,
        )
        in answer[-1].text
    )
    # Closing one makes room again.
    await sofie.send("/calls")
    await sofie.press(f"#1 · {label('fr', '🙋 Volunteers')}")
    await sofie.press(label("fr", "🔒 Close this call"))
    await sofie.send("/call")
    assert label("fr", "🙋 Volunteers") in sofie.last.buttons


async def test_answers_reach_the_callers_board_with_a_contact_only_when_agreed(kapstok, admin):
    sofie, wout, pierre, jana, *_rest = await _associations(kapstok, admin, "en", "fr")
    await _publish(sofie, photo=True)
    call = _calls_in(pierre)[-1]
    assert call.raw.get("photo")
    await pierre.press(label("fr", "💬 Respond"), on=call)
    await pierre.send("Nous avons quatre tentes et six bénévoles.")
    await pierre.press(label("fr", "📇 Send it with our contact"))
    for member in (sofie, wout):
        assert "Chiro" in member.last.text and B_PHONE in member.last.text
        assert "Nous avons quatre tentes" in member.last.text
    # An answer as a photo, without the contact.
    await jana.press(label("fr", "💬 Respond"), on=_calls_in(jana)[-1] if _calls_in(jana) else None)
    await jana.send_photo("Onze grasmaaier staat ter beschikking.")
    await jana.press(label("fr", "✉️ Send it without contact"))
    answer = sofie.last
    assert answer.raw.get("photo") and "Voetbalclub" in answer.text
    assert "0470 33 33 33" not in answer.text
    # /calls shows the call and both answers.
    await sofie.send("/calls")
    assert "#1" in sofie.last.text
    await sofie.press(f"#1 · {label('en', '🙋 Volunteers')}")
    view = sofie.last.text
    assert "Chiro" in view and "Voetbalclub" in view and B_PHONE in view
    assert "0470 33 33 33" not in view


async def test_a_respond_to_a_closed_or_expired_call_says_it_is_closed(kapstok, admin):
    sofie, _wout, pierre, jana, *_rest = await _associations(kapstok, admin, "nl", "fr")
    await _publish(sofie, days="7 days")
    await sofie.send("/calls")
    await sofie.press(f"#1 · {label('nl', '🙋 Volunteers')}")
    await sofie.press(label("nl", "🔒 Close this call"))
    assert label("nl", "🔒 Close this call") not in sofie.last.buttons
    await pierre.press(label("fr", "💬 Respond"), on=_calls_in(pierre)[-1])
    assert pierre.alerts[-1] == say("fr", "This call is closed; it takes no answers any more.")
    # A second call ends after its last day.
    second = "Wie leent ons een aanhangwagen?"
    await _publish(sofie, second, days="7 days")
    delivered = [m for m in pierre.inbox if second in m.text][-1]
    await kapstok.pass_time(days=8)
    await pierre.press(label("fr", "💬 Respond"), on=delivered)
    assert pierre.alerts[-1] == say("fr", "This call is closed; it takes no answers any more.")
    # Someone halfway an answer when the call closes: the answer is not sent.
    third = "Wie heeft een podium?"
    await _publish(sofie, third)
    await jana.press(label("fr", "💬 Respond"), on=[m for m in jana.inbox if third in m.text][-1])
    await jana.send("Wij!")
    store = kapstok.app.bot_data.store
    await store.calls.close(3, sofie.user_id)
    await jana.press(label("fr", "✉️ Send it without contact"))
    assert say("fr", "This call is closed; it takes no answers any more.") in jana.last.text
    assert await store.calls.answers(3) == []


async def test_a_liaison_withdraws_a_call_with_a_reason(kapstok, admin):
    sofie, wout, pierre, *_rest = await _associations(kapstok, admin, "nl", "fr")
    await _publish(sofie)
    topic = kapstok.in_topic(kapstok.topic_of("KSA"))
    card = [m for m in topic if TEXT in m.text][-1]
    # Nobody but a liaison officer may.
    for intruder in (sofie, kapstok.person(601, "Groepslid", "nl")):
        await intruder.press_in_group(label("nl", "↩️ Withdraw"), on=card)
        assert intruder.alerts[-1] == say(
            "nl", "Only liaison officers of the municipality can do this."
        )
    prompts = await admin.press_in_group(label("nl", "↩️ Withdraw"), on=card)
    await admin.send_in_group("Dit is een commerciële oproep.", reply_to=prompts[-1])
    told = say(
        "nl",
        "↩️ The municipality withdrew your association's call #{number} ({purpose}). The "
        "reason given: {reason}",
        number=1,
        purpose=label("nl", "🙋 Volunteers"),
        reason="Dit is een commerciële oproep.",
    )
    assert told in sofie.last.text and told in wout.last.text
    card = [m for m in kapstok.in_topic(kapstok.topic_of("KSA")) if TEXT in m.text][-1]
    assert card.buttons == [] and "Dit is een commerciële oproep." in card.text
    await pierre.press(label("fr", "💬 Respond"), on=_calls_in(pierre)[-1])
    assert pierre.alerts[-1] == say("fr", "This call was withdrawn; it takes no answers any more.")


async def test_a_withdrawn_call_skips_who_has_not_got_it(kapstok, admin):
    sofie, _wout, pierre, *_rest = await _associations(kapstok, admin, "fr", "fr")
    kapstok.drain = False  # the outbox waits: the liaison withdraws before anything went
    await _publish(sofie)
    await admin.send("/calls")
    await admin.press(label("nl", "↩️ Withdraw #{number}").format(number=1))
    await admin.send("Te vroeg verstuurd.")
    kapstok.drain = True
    await kapstok.drain_outbox()
    assert _calls_in(pierre) == []
    counts = await kapstok.app.bot_data.store.outbox.batch_counts("call:1")
    assert counts.skipped == 2 and counts.sent == 0  # Pierre's and Jana's
    assert "Te vroeg verstuurd." in sofie.last.text
    # The liaison's list has no open call left.
    answer = await admin.send("/calls")
    assert answer[-1].text == say("nl", "No association has an open call.")


async def test_a_forged_respond_and_someone_elses_call_are_refused(kapstok, admin):
    sofie, wout, pierre, *_rest = await _associations(kapstok, admin, "nl", "fr")
    await _publish(sofie)
    # A board member of the calling association itself.
    await wout.send("/menu")
    await wout.press_data(callbacks.CALL_RESPOND.data(1), on=wout.last)
    assert wout.alerts[-1] == say("nl", "This button is no longer valid.")
    # The respond button forged onto another message.
    await pierre.send("/menu")
    await pierre.press_data(callbacks.CALL_RESPOND.data(1), on=pierre.last)
    assert pierre.alerts[-1] == say("fr", "This button is no longer valid.")
    # Another association's call is neither shown nor closed.
    for data in (callbacks.CALL_VIEW.data(1), callbacks.CALL_CLOSE.data(1)):
        await pierre.press_data(data, on=pierre.last)
        assert pierre.alerts[-1] == say("fr", "This button is no longer valid.")
    store = kapstok.app.bot_data.store
    assert (await store.calls.get(1)).state == "open"


async def test_the_page_offers_calls_and_the_liaisons_list(kapstok, admin):
    sofie, *_rest = await _associations(kapstok, admin, "nl", "fr")
    await sofie.send("/menu")
    await sofie.press(f"🔗 {say('nl', 'Cooperation between associations')}")
    assert label("nl", "📢 Publish a call") in sofie.last.buttons
    await sofie.press(label("nl", "📋 Our calls"))
    assert say("nl", "Your association has not published a call yet.") in sofie.last.text
    await sofie.press(label("nl", "📢 Publish a call"))
    await sofie.press(label("nl", "🤝 Partners for an activity"))
    await sofie.send(TEXT)
    await sofie.press(label("nl", "Next ▶"))
    until = (kapstok.clock.now + timedelta(days=14)).strftime("%d/%m/%Y")
    await sofie.send(until)
    await sofie.press(label("nl", "📢 Publish"))
    answer = await admin.send_in_group("/calls")
    assert "#1" in answer[-1].text and "KSA" in answer[-1].text
    member = await sofie.send_in_group("/calls")
    assert say("nl", "Only liaison officers of the municipality can do this.") in member[-1].text
    assert LIAISON_CHAT_ID
