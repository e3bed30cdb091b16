"""/broadcast: written once, previewed, sent to the boards through the outbox, reported."""

from __future__ import annotations

from handlers import callbacks
from handlers.broadcasts import sending
from tests.client import ADMIN_ID, Kapstok, label, say
from tests.stories import approved_member


async def _boards(kapstok, admin, count=3, language="nl"):
    members = []
    for n in range(count):
        members.append(
            await approved_member(
                kapstok,
                admin,
                user_id=200 + n,
                name=f"Lid{n}",
                language=language,
                association=f"Vereniging {n}",
            )
        )
    return members


async def _compose(admin, text="Beste besturen, de subsidieaanvragen openen maandag."):
    await admin.send("/broadcast")
    await admin.send(text)
    await admin.press(label("nl", "Next ▶"))


async def test_a_broadcast_reaches_every_board_once_and_is_reported(kapstok, admin):
    members = await _boards(kapstok, admin)
    await _compose(admin)
    preview = [m.text for m in admin.inbox[-3:]]
    assert "Beste besturen, de subsidieaanvragen openen maandag." in preview
    await admin.press(label("nl", "📣 Send now"))
    for member in members:
        got = [m for m in member.inbox if "subsidieaanvragen" in m.text]
        assert len(got) == 1
        assert label("nl", "🔕 Fewer messages like this") in got[0].buttons
    await kapstok.pass_time(seconds=10)
    report = [m for m in admin.inbox if m.text.startswith("📣")][-1]
    assert say("nl", "📣 Broadcast #{number} is sent.", number=1) in report.text
    assert "3" in report.text


async def test_an_empty_broadcast_and_a_sticker_are_refused(kapstok, admin):
    await _boards(kapstok, admin, 1)
    await admin.send("/broadcast")
    answer = await admin.send("   ")
    assert (
        say(
            "nl",
            "A broadcast needs a text, or a photo or a document. Please send one of "
            "those, or /cancel.",
        )
        in answer[-1].text
    )


async def test_a_caption_too_long_is_refused(kapstok, admin):
    await _boards(kapstok, admin, 1)
    await admin.send("/broadcast")
    answer = await admin.send_photo("x" * 1025)
    assert "1025" in answer[-1].text


async def test_members_who_turned_news_off_or_blocked_the_bot_are_left_out(kapstok, admin):
    members = await _boards(kapstok, admin, 3)
    store = kapstok.app.bot_data.store
    from bot.domain.preferences import Kind

    await store.preferences.turn(members[0].user_id, Kind.NEWS, False)
    kapstok.telegram.blocked.add(members[1].user_id)
    await _compose(admin)
    await admin.press(label("nl", "📣 Send now"))
    await kapstok.pass_time(seconds=10)
    assert not [m for m in members[0].inbox if "subsidieaanvragen" in m.text]
    assert [m for m in members[2].inbox if "subsidieaanvragen" in m.text]
    user = await store.users.get(members[1].user_id)
    assert user.unreachable
    report = [m for m in admin.inbox if m.text.startswith("📣")][-1]
    assert "Vereniging 1" in report.text
    # The whole board of Vereniging 1 is unreachable: its topic hears it once.
    topic = kapstok.topic_of("Vereniging 1")
    notices = [m for m in kapstok.in_topic(topic) if "📵" in m.text]
    assert len(notices) == 1
    # The liaison sees it in the board's list, by name or in the association's topic.
    answer = await admin.send("/members Vereniging 1")
    assert "📵" in answer[-1].text and "Lid1" in answer[-1].text
    answer = await admin.send_in_group("/members", topic=topic)
    assert "📵" in answer[-1].text
    answer = await admin.send("/members Vereniging 2")
    assert "📵" not in answer[-1].text
    # Writing to the bot again makes them reachable.
    kapstok.telegram.blocked.discard(members[1].user_id)
    await members[1].send("/menu")
    assert not (await store.users.get(members[1].user_id)).unreachable


async def test_a_non_liaison_cannot_broadcast(kapstok, admin):
    members = await _boards(kapstok, admin, 1)
    answer = await members[0].send("/broadcast")
    assert say("nl", "Only liaison officers of the municipality can do this.") in answer[-1].text


async def test_stop_skips_who_has_not_got_it(tmp_path):
    kapstok = Kapstok(tmp_path)
    await kapstok.start()
    try:
        admin = kapstok.person(ADMIN_ID, "Annelies", "nl")
        members = await _boards(kapstok, admin, 3)
        await _compose(admin)
        kapstok.drain = False  # the outbox waits: the liaison stops before anything went
        await admin.press(label("nl", "📣 Send now"))
        assert await sending.stop(kapstok.app, 1)
        kapstok.drain = True
        await kapstok.pass_time(seconds=10)
        assert not any("subsidieaanvragen" in m.text for p in members for m in p.inbox)
        counts = await kapstok.app.bot_data.store.outbox.batch_counts("broadcast:1")
        assert (counts.skipped, counts.sent) == (3, 0)
        report = [m for m in admin.inbox if m.text.startswith("📣")][-1]
        assert say("nl", "📣 Broadcast #{number} was stopped.", number=1) in report.text
        assert not await sending.stop(kapstok.app, 1)
    finally:
        await kapstok.stop()


async def test_stop_after_the_end_says_so(kapstok, admin):
    await _boards(kapstok, admin, 1)
    await _compose(admin)
    await admin.press(label("nl", "📣 Send now"))
    report = [m for m in admin.inbox if m.text.startswith("📣")][-1]
    await admin.press_data(callbacks.BROADCAST_STOP.data(1), on=report)
    assert say("nl", "This broadcast is no longer being sent.") in admin.alerts[-1]


async def test_the_report_in_the_group(kapstok, admin):
    await _boards(kapstok, admin, 2)
    await admin.send_in_group("/broadcast")
    prompt = kapstok.group()[-1]
    await admin.send_in_group("Nieuws voor iedereen", reply_to=prompt)
    await admin.press_in_group(label("nl", "Next ▶"))
    await admin.press_in_group(label("nl", "📣 Send now"))
    await kapstok.pass_time(seconds=10)
    assert any(m.text.startswith("📣") for m in kapstok.group())


async def test_past_broadcasts_are_listed(kapstok, admin):
    await _boards(kapstok, admin, 2)
    answer = await admin.send("/broadcasts")
    assert say("nl", "No broadcast was sent yet. /broadcast writes one.") in answer[-1].text
    await _compose(admin)
    await admin.press(label("nl", "📣 Send now"))
    await kapstok.pass_time(seconds=10)
    answer = await admin.send("/broadcasts")
    text = answer[-1].text
    assert say("nl", "📣 Broadcast #{number} is sent.", number=1) in text
    assert "Annelies" in text and "subsidieaanvragen" in text
    assert (
        say(
            "nl",
            "✅ sent: {sent} · ⏳ waiting: {pending} · ⚠️ failed: {failed} · 📵 blocked: "
            "{blocked} · ⏭ skipped: {skipped}",
            sent=2,
            pending=0,
            failed=0,
            blocked=0,
            skipped=0,
        )
        in text
    )
