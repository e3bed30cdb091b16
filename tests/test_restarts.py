"""`python -m bot` killed at any instant loses nothing, and does nothing twice.

The promise (bot/polling.py, bot/inbox.py): an update Kapstok acknowledged to Telegram (the
offset moved past it) is in its database; it is handled once, in order, also when the process
died in between; a conversation goes on where it was. Each test runs the real program against
a local Bot API (tests/botapi_server.py), kills it with SIGKILL and starts it again on the same
database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest

from bot import i18n
from bot.domain import kapstokken
from handlers.associations.onboarding import MAX_DESCRIPTION
from tests.botapi_server import KapstokProcess, Member, bot_api, wait_until
from tests.client import label, say

TOKEN = "123456789:AAErestartstestabcdefghijklmnopqrst"
LIAISON_CHAT = -1009876543210
ADMIN = 1
BUSY_TIMEOUT = 5  # seconds Kapstok waits for a busy database (storage/store.py)
LATENCY = 0.005  # seconds each Bot API call takes during a burst: wider windows to kill in
REPLIES_EACH = 5
ASSOCIATIONS = [
    "KSA Sint-Jan",
    "Chiro Heide",
    "VC Rapid Oost",
    "Fanfare De Eendracht",
    "Gezinsbond Kerkstraat",
    "Buurtcomité Molenwijk",
    "Oudercomité De Linde",
    "Toneelkring Het Masker",
    "Wielerclub De Spurters",
    "Seniorenraad Dorp",
]
DESCRIPTION = "We organise activities for the children of the village every Sunday."

SENT = (
    "✅ Your question is sent to the municipality as <b>#{number}</b>. A liaison officer "
    "will answer you here.\n\nTo add something, reply to this message. /threads shows "
    "all your association's questions."
)
WRITE_QUESTION = (
    "Now write your question. You can send text, a photo, a document or a voice "
    "message; a liaison officer of the municipality will answer you here."
)
DESCRIBE = (
    "Finally, describe your association in one paragraph: what you do, for whom, "
    "and where (at most {limit} characters)."
)
REGISTERED = (
    "Thank you! <b>{association}</b> is registered. A liaison officer of the municipality "
    "will confirm it, and I will let you know as soon as that happens.\n\n"
    "Meanwhile you can use /language, /help and /mydata."
)
UNEXPECTED = "I did not expect that message. Choose from the menu, or send /help."
LOST = ("Something of your registration got lost.", "Something of your question got lost.")


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    """label() and say() read the catalogs, as the program does."""
    i18n.setup("nl", ZoneInfo("Europe/Brussels"))


@pytest.fixture
def kapstok(tmp_path):
    """`python -m bot` polling a fresh local Bot API, on a fresh database."""
    with bot_api() as (api, server):
        bot = KapstokProcess(
            api, server, tmp_path, token=TOKEN, liaison_chat_id=LIAISON_CHAT, admin_ids=[ADMIN]
        )
        bot.start()
        try:
            yield bot
        finally:
            bot.close()
        assert not api.unexpected, f"unexpected Bot API calls: {api.unexpected}"
        assert not api.crashes, f"the local Bot API failed: {api.crashes}"
        assert bot.errors_expected or "Traceback" not in bot.log(), bot.log()


# --- the people and their steps ----------------------------------------------------------------


def button(msgid: str, context: str = "button") -> str:
    return label("nl", msgid, context)


def page_button(number: int) -> str:
    page = kapstokken.by_number(number)
    return f"{page.emoji} {say('nl', page.title)}"


def do(bot: KapstokProcess, updates: list[dict]) -> list[int]:
    """Everyone takes a step at once; wait until all are handled and what they queued is sent."""
    ids = bot.api.push_all(updates)
    bot.wait_settled(ids)
    return ids


@dataclass
class Board:
    """A board member, the association they registered, and the question they asked."""

    member: Member
    association: str
    thread: int = 0
    confirmation: dict = field(default_factory=dict)
    replies: list[dict] = field(default_factory=list)  # the updates of the member's replies

    @property
    def texts(self) -> list[str]:
        return [reply["message"]["text"] for reply in self.replies]


def approved_boards(bot: KapstokProcess, count: int) -> list[Board]:
    """Newcomers register an association each, and the admin approves them all."""
    members = [Member(bot.api, 300 + n, f"Lid{n}", "nl") for n in range(count)]
    register, youth = button("Register my association"), button("Youth", "kind")
    do(bot, [member.text("/start") for member in members])
    do(bot, [member.click(member.last_with(register), register) for member in members])
    do(bot, [member.text(name) for member, name in zip(members, ASSOCIATIONS, strict=False)])
    do(bot, [member.click(member.last_with(youth), youth) for member in members])
    do(bot, [member.text(DESCRIPTION) for member in members])
    admin, approve = Member(bot.api, ADMIN, "Annelies", "nl"), button("✅ Approve")
    cards = [card for card in bot.api.sent_to(LIAISON_CHAT) if approve in str(card)]
    assert len(cards) == count
    do(bot, [admin.click(card, approve) for card in cards])
    return [Board(member, name) for member, name in zip(members, ASSOCIATIONS, strict=False)]


def choose_subject(bot: KapstokProcess, boards: list[Board]) -> None:
    """Each member goes from the menu to kapstok 2's question prompt: page, ask, subject."""
    page, ask, subject = page_button(2), button("❓ Ask a question"), first_subject(bot)
    members = [board.member for board in boards]
    do(bot, [member.text("/menu") for member in members])
    for step in (page, ask):
        do(bot, [member.click(member.last_with(step), step) for member in members])
    do(bot, [member.click(member.last_with(subject), subject) for member in members])


def ask_questions(bot: KapstokProcess, boards: list[Board]) -> None:
    """Each member asks one question; keep its thread and the bot's confirmation."""
    choose_subject(bot, boards)
    do(bot, [board.member.text(f"Vraag van {board.association}") for board in boards])
    for board in boards:
        board.confirmation = confirmation_of(bot, board.member)
        board.thread = thread_of(bot, board.member)
        assert board.confirmation["text"] == say("nl", SENT, number=board.thread)


def first_subject(bot: KapstokProcess) -> str:
    return bot.value(
        "SELECT name_nl FROM subjects WHERE kapstok = 2 AND active ORDER BY subject_id"
    )


def confirmation_of(bot: KapstokProcess, member: Member) -> dict:
    """The first confirmation "✅ … #N" the member got."""
    return next(m for m in bot.api.sent_to(member.user_id) if m["text"].startswith("✅"))


def thread_of(bot: KapstokProcess, member: Member) -> int:
    (thread,) = bot.query("SELECT thread_id FROM threads WHERE opened_by = ?", (member.user_id,))
    return thread[0]


def texts_to(bot: KapstokProcess, member: Member) -> list[str]:
    return [message["text"] for message in bot.api.sent_to(member.user_id)]


# --- the burst ---------------------------------------------------------------------------------


def push_burst(bot: KapstokProcess, boards: list[Board], latency: float = LATENCY) -> list[int]:
    """Every member replies REPLIES_EACH times to their confirmation, all pushed at once."""
    for board in boards:
        board.replies = [
            board.member.text(f"Aanvulling {n} van {board.member.name}", board.confirmation)
            for n in range(1, REPLIES_EACH + 1)
        ]
    rounds = [board.replies[n] for n in range(REPLIES_EACH) for board in boards]
    bot.api.latency = latency
    return bot.api.push_all(rounds)


def replies_stored(bot: KapstokProcess) -> int:
    return bot.value("SELECT COUNT(*) FROM thread_messages WHERE text LIKE 'Aanvulling %'")


def kill_before_it_is_stored(bot: KapstokProcess, boards: list[Board]) -> list[int]:
    """Kill once the bot fetched the burst, while it waits to store it (the database is busy)."""
    with bot.database_busy():
        burst = push_burst(bot, boards, latency=0)
        wait_until(lambda: all(bot.api.deliveries[u] for u in burst), "the burst fetched")
        bot.kill()
    assert not set(burst) & (bot.stored() | bot.api.confirmed), "neither stored nor acknowledged"
    return burst


def kill_after_a_third(bot: KapstokProcess, boards: list[Board]) -> list[int]:
    """Kill once a third of the replies is handled."""
    burst = push_burst(bot, boards)
    wait_until(lambda: replies_stored(bot) >= len(burst) // 3, "a third handled", log=bot)
    bot.kill()
    return burst


def kill_after_most(bot: KapstokProcess, boards: list[Board]) -> list[int]:
    """Kill once most replies are handled."""
    burst = push_burst(bot, boards)
    wait_until(lambda: replies_stored(bot) >= len(burst) * 4 // 5, "most handled", log=bot)
    bot.kill()
    return burst


def assert_stored_once_in_order(bot: KapstokProcess, boards: list[Board]) -> None:
    """Every reply is in its thread once, in the order sent; no update was handled twice."""
    rows = bot.query(
        "SELECT source_chat_id, source_message_id, thread_id, text FROM thread_messages"
        " WHERE direction = 'in' ORDER BY message_id"
    )
    assert len(rows) == sum(1 + len(board.replies) for board in boards)
    for board in boards:
        sent = [
            (board.member.user_id, reply["message"]["message_id"], board.thread, text)
            for reply, text in zip(board.replies, board.texts, strict=True)
        ]
        question, *replies = [row for row in rows if row[0] == board.member.user_id]
        assert question[2:] == (board.thread, f"Vraag van {board.association}")
        assert replies == sent, board.association
    assert bot.unhandled() == 0


def relayed(bot: KapstokProcess, board: Board) -> list[str]:
    """The member's replies as the bot relayed them into the association's forum topic."""
    (topic,) = bot.query(
        "SELECT message_thread_id FROM association_topics JOIN associations"
        " USING (association_id) WHERE associations.name = ?",
        (board.association,),
    )
    return [
        line
        for message in bot.api.in_topic(LIAISON_CHAT, topic[0])
        for line in message.get("text", "").splitlines()
        if line.startswith("Aanvulling ")
    ]


@pytest.mark.parametrize("kill", [kill_before_it_is_stored, kill_after_a_third, kill_after_most])
def test_a_burst_of_replies_is_stored_once_and_in_order_after_a_kill(kapstok, kill):
    bot = kapstok
    boards = approved_boards(bot, len(ASSOCIATIONS))
    ask_questions(bot, boards)

    burst = kill(bot, boards)
    assert bot.api.confirmed <= bot.stored(), "acknowledged to Telegram, so in the database"
    assert replies_stored(bot) < len(burst), "the kill cut the burst"
    bot.start()
    bot.wait_settled(burst)

    assert_stored_once_in_order(bot, boards)
    for board in boards:
        assert list(dict.fromkeys(relayed(bot, board))) == board.texts, board.association


def test_a_clean_stop_in_a_burst_handles_what_arrived_and_the_rest_after_the_start(kapstok):
    bot = kapstok
    boards = approved_boards(bot, len(ASSOCIATIONS))
    ask_questions(bot, boards)

    burst = push_burst(bot, boards)
    wait_until(lambda: replies_stored(bot) >= len(burst) // 3, "a third handled", log=bot)
    assert bot.stop() == 0, bot.log()
    assert bot.unhandled() == 0, "what arrived is handled before the program ends"
    bot.start()
    bot.wait_settled(burst)

    assert_stored_once_in_order(bot, boards)
    for board in boards:
        assert relayed(bot, board) == board.texts, board.association


def test_a_relay_telegram_confirmed_is_not_sent_again_after_a_kill(kapstok):
    bot = kapstok
    boards = approved_boards(bot, 3)
    ask_questions(bot, boards)
    target = f"Aanvulling 2 van {boards[1].member.name}"

    def a_later_relay(method: str, params: dict) -> bool:
        """The group's next relay: it goes once Telegram confirmed the one before."""
        shown = [message["text"] for message in bot.api.sent_to(LIAISON_CHAT)]
        return (
            params.get("chat_id") == LIAISON_CHAT
            and "Aanvulling" in params.get("text", "")
            and any(target in text for text in shown)
        )

    held = bot.api.hold(a_later_relay)  # it never reaches Telegram: the kill comes first
    burst = push_burst(bot, boards)
    wait_until(held.reached.is_set, "the relay after the target's", log=bot)
    bot.restart_after_kill()
    bot.wait_settled(burst)

    assert_stored_once_in_order(bot, boards)
    for board in boards:
        assert relayed(bot, board) == board.texts, board.association


def test_a_relay_telegram_answered_is_in_the_topic_once_after_a_kill(kapstok):
    bot = kapstok
    ann, bert = approved_boards(bot, 2)
    ask_questions(bot, [ann, bert])
    for board in (ann, bert):
        board.replies = [
            board.member.text(f"Aanvulling van {board.member.name}", board.confirmation)
        ]

    def relay_of(board: Board) -> Callable[[str, dict], bool]:
        return lambda method, params: board.texts[0] in params.get("text", "")

    def thumbs_up_for(board: Board) -> Callable[[str, dict], bool]:
        return lambda method, params: (
            method == "setMessageReaction" and params.get("chat_id") == board.member.user_id
        )

    answer_to_relay = bot.api.hold(relay_of(ann), done=True)  # shown in the topic
    bot.api.push(ann.replies[0])
    wait_until(answer_to_relay.reached.is_set, "Ann's reply relayed", log=bot)
    bert_busy = bot.api.hold(thumbs_up_for(bert))  # meanwhile Bert's update waits for Telegram
    bot.api.push(bert.replies[0])
    wait_until(bert_busy.reached.is_set, "Bert's reply acknowledged", log=bot)
    answer_to_relay.release()  # Telegram's answer reaches the bot
    time.sleep(0.3)
    bot.restart_after_kill()
    bot.wait_settled([ann.replies[0]["update_id"], bert.replies[0]["update_id"]])

    assert_stored_once_in_order(bot, [ann, bert])
    assert relayed(bot, ann) == ann.texts
    assert relayed(bot, bert) == bert.texts


# --- conversations -----------------------------------------------------------------------------

ANSWERS = {"sendMessage", "editMessageText"}


def kill_once_answered(bot: KapstokProcess, update: dict) -> None:
    """Kill the instant the member sees the bot's answer, before the step is saved."""
    chat = (update.get("message") or update["callback_query"])["from"]["id"]
    answered = bot.api.hold(
        lambda method, params: method in ANSWERS and params.get("chat_id") == chat, done=True
    )
    update_id = bot.api.push(update)
    wait_until(answered.reached.is_set, "the bot's answer", log=bot)
    bot.restart_after_kill()
    bot.wait_settled([update_id])  # the member waits for the bot, as before the kill


def kill_once_saved(bot: KapstokProcess, update: dict) -> None:
    """Kill right after the step is handled and saved."""
    bot.wait_handled([bot.api.push(update)])
    bot.kill()
    bot.start()


KILLS = [
    pytest.param(kill_once_answered, id="answered"),
    pytest.param(kill_once_saved, id="saved"),
]
Kill = Callable[[KapstokProcess, dict], None]


@pytest.mark.parametrize("kill", KILLS)
def test_a_newcomer_goes_on_where_they_were_after_a_kill_at_every_step(kapstok, kill: Kill):
    bot = kapstok
    noor, admin = Member(bot.api, 400, "Noor", "nl"), Member(bot.api, ADMIN, "Annelies", "nl")
    register, youth = button("Register my association"), button("Youth", "kind")
    do(bot, [noor.text("/start")])

    kill(bot, noor.click(noor.last_with(register), register))
    kill(bot, noor.text("Scouts De Kapstok"))
    kill(bot, noor.click(noor.last_with(youth), youth))
    assert say("nl", DESCRIBE, limit=MAX_DESCRIPTION) in texts_to(bot, noor)[-1]
    do(bot, [noor.text(DESCRIPTION)])
    assert texts_to(bot, noor)[-1] == say("nl", REGISTERED, association="Scouts De Kapstok")
    assert bot.query("SELECT name, kind, description FROM associations") == [
        ("Scouts De Kapstok", "youth", DESCRIPTION)
    ]

    approve = button("✅ Approve")
    do(bot, [admin.click(admin.last_with(approve, LIAISON_CHAT), approve)])
    do(bot, [noor.text("/menu")])
    for step in (page_button(2), button("❓ Ask a question")):
        do(bot, [noor.click(noor.last_with(step), step)])
    subject = first_subject(bot)
    kill(bot, noor.click(noor.last_with(subject), subject))
    assert say("nl", WRITE_QUESTION) in texts_to(bot, noor)[-1]
    do(bot, [noor.text("Mogen we de turnzaal huren op zaterdag?")])

    assert texts_to(bot, noor)[-1] == say("nl", SENT, number=thread_of(bot, noor))
    assert bot.query(
        "SELECT name_nl, text FROM thread_messages JOIN threads USING (thread_id)"
        " JOIN subjects USING (subject_id)"
    ) == [(subject, "Mogen we de turnzaal huren op zaterdag?")]
    assert not [t for t in texts_to(bot, noor) if t.startswith((say("nl", UNEXPECTED), *LOST))]


@pytest.mark.parametrize("kill", KILLS)
def test_a_reply_to_the_confirmation_joins_its_thread_after_a_kill(kapstok, kill: Kill):
    bot = kapstok
    (board,) = approved_boards(bot, 1)
    choose_subject(bot, [board])

    kill(bot, board.member.text("Mogen we de turnzaal huren op zaterdag?"))
    confirmation = confirmation_of(bot, board.member)  # the one the member saw
    do(bot, [board.member.text("En op zondag?", reply_to=confirmation)])

    assert bot.query("SELECT text FROM thread_messages ORDER BY message_id") == [
        ("Mogen we de turnzaal huren op zaterdag?",),
        ("En op zondag?",),
    ]
    assert bot.value("SELECT COUNT(*) FROM threads") == 1
    assert say("nl", UNEXPECTED) not in texts_to(bot, board.member)


# --- stored, not handled -----------------------------------------------------------------------


def test_an_update_stored_but_not_handled_when_killed_is_handled_once_after_the_start(kapstok):
    bot = kapstok
    jan = Member(bot.api, 500, "Jan", "nl")
    do(bot, [jan.text("/start")])
    answers = len(bot.api.sent_to(jan.user_id))

    held = bot.api.hold(lambda method, params: params.get("chat_id") == jan.user_id)
    (help_update,) = bot.api.push_all([jan.text("/help")])
    wait_until(held.reached.is_set, "the bot answering /help", log=bot)
    wait_until(lambda: help_update in bot.api.confirmed, "/help acknowledged", log=bot)
    assert bot.unhandled() == 1, "acknowledged, so stored; not handled yet"
    bot.restart_after_kill()
    bot.wait_handled([help_update])

    assert len(bot.api.sent_to(jan.user_id)) == answers + 1, "/help answered once"
    assert "/help" in bot.api.sent_to(jan.user_id)[-1]["text"]
    assert bot.api.deliveries[help_update] == 1, "after the start it came from the database"
    assert bot.unhandled() == 0


def test_a_database_busy_for_a_while_delays_updates_and_does_not_stop_polling(kapstok):
    bot = kapstok
    bot.errors_expected = True  # a storage error may well be logged with its traceback
    jan = Member(bot.api, 500, "Jan", "nl")
    do(bot, [jan.text("/start")])

    with bot.database_busy():
        first = bot.api.push(jan.text("/help"))
        time.sleep(BUSY_TIMEOUT + 0.5)
    second = bot.api.push(jan.text("/help"))

    bot.wait_handled([first, second], timeout=2)
    assert bot.api.confirmed >= {first, second}
