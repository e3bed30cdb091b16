"""A saturated liaison group holds up nobody: relays wait for the group's budget (20 a minute),
while a board member's /menu is answered at once."""

from __future__ import annotations

import asyncio
import time

from bot.domain.pacing import Budget
from tests.client import Kapstok, say
from tests.threads.test_liaison import board
from tests.threads.test_member import ask

MEMBER_MENU = (
    "<b>{association}</b>\n"
    "Hello {name}! Together with the municipality, we work on five kapstokken of good "
    "cooperation. Choose one:"
)


async def test_a_menu_is_answered_at_once_while_thirty_relays_wait_for_the_group(tmp_path):
    kapstok = Kapstok(tmp_path, budget=Budget())  # Telegram's real limits, in real time
    await kapstok.start()
    try:
        admin = kapstok.person(1, "Annelies", "nl", last_name="Peeters")
        sofie, camille = await board(kapstok, admin)
        _thread, confirmation = await ask(sofie, kapstok, "May we put up a tent?")
        outbox = kapstok.app.bot_data.outbox

        # Thirty replies arrive; the outbox works on them in the background.
        for n in range(30):
            message = sofie._message(kapstok.telegram.chat(sofie.user_id))
            message.update(text=f"Detail {n}", reply_to_message=confirmation.raw)
            sofie._remember(message)
            await kapstok.process_without_sending({"message": message})
        sending = asyncio.create_task(outbox.drain(timeout=300))
        await asyncio.sleep(0.2)
        waiting = await kapstok.app.bot_data.store.db.fetchone(
            "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'relay_to_group' AND state = 'pending'"
        )
        assert waiting["n"] >= 10  # the group's 20 a minute are used up

        started = time.monotonic()
        await kapstok.process_without_sending(camille.command("/menu"))
        answered = time.monotonic() - started

        assert camille.last.text == say(
            "fr", MEMBER_MENU, association="KSA Sint-Jan", name="Camille"
        )
        assert answered < 1.0
        assert not sending.done()  # the relays still wait for the group's budget
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
    finally:
        await kapstok.stop()
