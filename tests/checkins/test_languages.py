"""The barometer, broadcasts and settings in each language: what a reader sees is in theirs."""

from __future__ import annotations

import pytest

from bot.domain.kapstokken import KAPSTOKKEN
from handlers import callbacks
from tests.checkins.test_barometer import _ballot, _round, _score_all
from tests.client import ADMIN_ID, label, say
from tests.stories import approved_member

LANGUAGES = ("nl", "fr", "en")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_ballot_names_the_kapstokken_in_the_readers_language(kapstok, admin, language):
    member = await approved_member(kapstok, admin, language=language)
    await _round(kapstok, admin)
    ballot = _ballot(member)
    for kapstok_ in KAPSTOKKEN:
        assert say(language, kapstok_.title) in ballot.text
        assert say(language, kapstok_.meaning) in ballot.text
    assert label(language, "📨 Send our answer") in ballot.buttons
    assert label(language, "🔕 Fewer messages like this") in ballot.buttons


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_low_score_is_acknowledged_in_the_readers_language(kapstok, admin, language):
    member = await approved_member(kapstok, admin, language=language)
    await _round(kapstok, admin)
    await _score_all(member, [1, 4, 4, 4, 4])
    await member.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(member))
    assert say(language, "Thank you! Your answer is with the municipality.") in member.last.text


@pytest.mark.parametrize("language", ("fr", "en"))
async def test_the_liaison_reads_the_barometer_in_their_language(kapstok, admin, language):
    member = await approved_member(kapstok, admin)
    liaison = kapstok.person(555, "Claire", language)
    await admin.send_in_group(f"/liaison add {liaison.user_id}")
    await liaison.send("/start")
    await _round(kapstok, admin)
    await _score_all(member, [4, 4, 4, 4, 4])
    await member.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(member))
    answer = await liaison.send("/barometer")
    text = "\n".join(m.text for m in answer)
    for kapstok_ in KAPSTOKKEN:
        assert say(language, kapstok_.title) in text
    assert any(m.raw.get("photo") for m in answer)


@pytest.mark.parametrize("language", ("fr", "en"))
async def test_a_broadcast_is_composed_in_the_liaisons_language_and_sent_as_written(
    kapstok, admin, language
):
    member = await approved_member(kapstok, admin, language="nl")
    liaison = kapstok.person(556, "Claire", language)
    await admin.send_in_group(f"/liaison add {liaison.user_id}")
    await liaison.send("/start")
    await liaison.send("/broadcast")
    await liaison.send("Bonjour à tous <3")
    await liaison.press(label(language, "Next ▶"))
    await liaison.press(label(language, "📣 Send now"))
    got = [m for m in member.inbox if "Bonjour à tous <3" in m.text]
    assert len(got) == 1
    assert got[0].html.startswith("Bonjour à tous &lt;3")
    # The 🔕 button speaks the member's language, the message stays as written.
    assert label("nl", "🔕 Fewer messages like this") in got[0].buttons


@pytest.mark.parametrize("language", ("nl", "fr"))
async def test_settings_in_the_members_language(kapstok, admin, language):
    member = await approved_member(kapstok, admin, language=language)
    answer = await member.send("/settings")
    assert label(language, "⏸ Pause until a date") in answer[-1].buttons


async def test_a_broadcast_goes_on_after_a_restart_and_reaches_everyone_once(tmp_path):
    from tests.client import Kapstok

    kapstok = Kapstok(tmp_path)
    await kapstok.start()
    try:
        admin = kapstok.person(ADMIN_ID, "Annelies", "nl")
        members = [
            await approved_member(
                kapstok, admin, user_id=300 + n, name=f"Lid{n}", association=f"Club {n}"
            )
            for n in range(4)
        ]
        await admin.send("/broadcast")
        await admin.send("Tot zondag op het dorpsplein!")
        await admin.press(label("nl", "Next ▶"))
        kapstok.drain = False  # the rows wait in the outbox when the bot stops
        await admin.press(label("nl", "📣 Send now"))
        await kapstok.restart()
        kapstok.drain = True
        await kapstok.pass_time(seconds=10)
        for member in members:
            assert sum("Tot zondag op het dorpsplein!" in m.text for m in member.inbox) == 1
        counts = await kapstok.app.bot_data.store.outbox.batch_counts("broadcast:1")
        assert (counts.sent, counts.pending, counts.uncertain) == (4, 0, 0)
    finally:
        await kapstok.stop()
