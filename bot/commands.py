"""The bot's commands: who may use each, and Telegram's command menu in every language."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import Application

from bot import i18n
from bot.config import LANGUAGES
from bot.i18n import N_, _

log = logging.getLogger(__name__)


class Audience(enum.IntEnum):
    """Who sees a command; each audience also sees the commands of those before it."""

    EVERYONE = 0
    MEMBER = 1
    LIAISON = 2
    ADMIN = 3


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    audience: Audience


COMMANDS = (
    Command("start", N_("Start, or show the menu"), Audience.EVERYONE),
    Command("menu", N_("The five kapstokken"), Audience.MEMBER),
    Command("invite", N_("Invite a fellow board member"), Audience.MEMBER),
    Command("members", N_("The board members of your association"), Audience.MEMBER),
    Command("leave", N_("Leave your association"), Audience.MEMBER),
    Command("settings", N_("Fewer messages, or a pause"), Audience.MEMBER),
    Command("threads", N_("Your association's questions to the municipality"), Audience.MEMBER),
    Command("faq", N_("Search the frequently asked questions"), Audience.MEMBER),
    Command("profile", N_("What other associations may see of yours"), Audience.MEMBER),
    Command("directory", N_("Find other associations: /directory chiro"), Audience.MEMBER),
    Command("call", N_("Publish a call to other associations"), Audience.MEMBER),
    Command("calls", N_("Calls to other associations, and their answers"), Audience.MEMBER),
    Command("activity", N_("Plan an activity, with partners if you like"), Audience.MEMBER),
    Command(
        "requests",
        N_("Your requests for gear and subsidies; for liaisons the open ones, /requests csv"),
        Audience.MEMBER,
    ),
    Command("language", N_("Choose your language"), Audience.EVERYONE),
    Command("help", N_("What I can do for you"), Audience.EVERYONE),
    Command("mydata", N_("See what is stored about you"), Audience.EVERYONE),
    Command("forgetme", N_("Erase your personal data"), Audience.EVERYONE),
    Command("cancel", N_("Stop what you are doing"), Audience.EVERYONE),
    Command("pending", N_("Associations waiting for confirmation"), Audience.LIAISON),
    Command("liaisons", N_("The liaison officers"), Audience.LIAISON),
    Command("open", N_("Open questions, the longest waiting first"), Audience.LIAISON),
    Command("mine", N_("The open questions you own"), Audience.LIAISON),
    Command("close", N_("Close a question: /close 12"), Audience.LIAISON),
    Command("reopen", N_("Reopen a question: /reopen 12"), Audience.LIAISON),
    Command("s", N_("Send a snippet as a reply: /s NAME"), Audience.LIAISON),
    Command("snippet", N_("Keep snippets: add, list, remove"), Audience.LIAISON),
    Command("faqlist", N_("The FAQ with its numbers"), Audience.LIAISON),
    Command("faqadd", N_("Add a FAQ entry"), Audience.LIAISON),
    Command("faqedit", N_("Edit a FAQ entry: /faqedit 3"), Audience.LIAISON),
    Command("faqremove", N_("Remove a FAQ entry: /faqremove 3"), Audience.LIAISON),
    Command("faqimport", N_("Import FAQ entries from a CSV file"), Audience.LIAISON),
    Command("faqexport", N_("The FAQ as a CSV file"), Audience.LIAISON),
    Command("subjects", N_("The subjects members choose from"), Audience.LIAISON),
    Command(
        "schedules", N_("Check-ins and barometer rounds that run by themselves"), Audience.LIAISON
    ),
    Command("broadcast", N_("Write to the boards of many associations"), Audience.LIAISON),
    Command("broadcasts", N_("The broadcasts sent so far"), Audience.LIAISON),
    Command("barometer", N_("How the cooperation is doing, per kapstok"), Audience.LIAISON),
    Command(
        "activities", N_("Every activity of a week or a month; /activities csv"), Audience.LIAISON
    ),
    Command(
        "association", N_("An association and its recognition: /association 12"), Audience.LIAISON
    ),
    Command("gear", N_("The lending service's catalog"), Audience.LIAISON),
    Command("subsidies", N_("The subsidy types boards can request"), Audience.LIAISON),
    Command("dossier", N_("An activity's dossier: /dossier 12"), Audience.LIAISON),
    Command("liaison", N_("Appoint or remove a liaison officer (add|remove)"), Audience.ADMIN),
    Command("subject", N_("Add or remove a subject (add|remove)"), Audience.ADMIN),
)

GROUP_COMMANDS = (
    "help",
    "members",
    "pending",
    "liaisons",
    "liaison",
    "open",
    "mine",
    "close",
    "reopen",
    "s",
    "snippet",
    "faqlist",
    "faqadd",
    "faqedit",
    "faqremove",
    "faqimport",
    "faqexport",
    "subjects",
    "schedules",
    "subject",
    "broadcast",
    "broadcasts",
    "barometer",
    "activities",
    "calls",
    "association",
    "requests",
    "dossier",
    "gear",
    "subsidies",
)


def commands_for(audience: Audience, member: bool) -> list[Command]:
    """The commands a user may use: member commands only for board members."""
    return [
        command
        for command in COMMANDS
        if (command.audience is Audience.MEMBER and member)
        or (command.audience is not Audience.MEMBER and command.audience <= audience)
    ]


def _bot_commands(commands: list[Command]) -> list[BotCommand]:
    return [BotCommand(command.name, _(command.description)) for command in commands]


async def register_bot_commands(application: Application) -> None:
    """setMyCommands for private chats and the liaison group, in every language."""
    config = application.bot_data.config
    private = [c for c in COMMANDS if c.audience <= Audience.MEMBER]
    group = [c for c in COMMANDS if c.name in GROUP_COMMANDS]
    targets = [(BotCommandScopeAllPrivateChats(), private)]
    targets.append((BotCommandScopeChat(config.liaison_chat_id), group))
    for scope, commands in targets:
        for language in (None, *LANGUAGES):
            with i18n.use_language(language or config.default_language):
                try:
                    await application.bot.set_my_commands(
                        _bot_commands(commands), scope=scope, language_code=language
                    )
                except TelegramError as error:
                    log.warning("could not set the command menu for %s: %s", scope.type, error)
