"""Who may do what, where: every role × every command and every button × a private chat and the
liaison group, against the real application.

The chart below is the one place the expected outcome of each cell is written. Each row is a
command (sent without arguments) or a button's data (`{thread_a}` and the like are the ids of the
cast in tests/steps.py: A's open thread, the association waiting for approval, ...); each role
has two columns, its private chat and the liaison group. A command of bot/commands.py or a button
of handlers/callbacks.py without a row fails `test_every_command_and_button_has_a_row`.

    ✓  acts: answered without a refusal (for a button at its step: the setup brings the role
       there first, see SETUPS)
    ✗  refused: an alert or a message saying no (handlers/ui.py require_*, "This button does not
       work here", "This button is no longer valid", an unknown command, ...), and nothing in
       the database changed
    –  silent: no answer, by design (a private chat's command in the group), nothing changed

A cell where the application does otherwise than the chart says is a fault; the known ones are
in HOLES and run as xfail(strict=True) until they are fixed.

Each row runs in a fresh Kapstok with the cast of tests/steps.py (about 25 seconds for the whole
chart), its cells one after another, role by role, each role's group cell before its private one
(a press that acts, like leaving or erasing, changes only its own role).

Roles: someone who never registered; a board member of an association waiting for approval; a
board member of approved association A (which has an open thread, {thread_a}); one of approved
association B; a liaison officer appointed with /liaison add; the admin (ADMIN_ID in the
configuration); someone in the liaison group who is no liaison officer ("groupmember").
"""

from __future__ import annotations

import re
import string
import weakref

import pytest
import pytest_asyncio

from bot import i18n
from bot.commands import COMMANDS, GROUP_COMMANDS, Audience
from handlers import callbacks
from tests import steps
from tests.client import LIAISON_CHAT_ID, Kapstok, Message
from tests.fake_telegram import html_to_text
from tests.steps import ROLES, Cast, Probe

# The cells share the module's event loop: one Kapstok lives through the cells of its row.
IN_THE_MODULES_LOOP = pytest.mark.asyncio(loop_scope="module")

CHATS = ("private", "group")
ACTS, REFUSED, SILENT = "✓", "✗", "–"
MEANING = {ACTS: "acts", REFUSED: "refused", SILENT: "silent"}

CHART = """
#                          stranger  pending   member A  member B  liaison   admin     groupmember
#                          priv grp  priv grp  priv grp  priv grp  priv grp  priv grp  priv grp
# commands for everyone
/start                     ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –
/help                      ✓    ✓    ✓    ✓    ✓    ✓    ✓    ✓    ✓    ✓    ✓    ✓    ✓    ✓
/language                  ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –
/mydata                    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –
/forgetme                  ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –
/cancel                    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –
# commands for board members
/menu                      ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –    ✓    –
/invite                    ✗    –    ✗    –    ✓    –    ✓    –    ✗    –    ✗    –    ✗    –
/members                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/leave                     ✗    –    ✓    –    ✓    –    ✓    –    ✗    –    ✗    –    ✗    –
/settings                  ✗    –    ✗    –    ✓    –    ✓    –    ✗    –    ✗    –    ✗    –
/threads                   ✗    –    ✗    –    ✓    –    ✓    –    ✗    –    ✗    –    ✗    –
/faq                       ✗    –    ✗    –    ✓    –    ✓    –    ✓    –    ✓    –    ✗    –
# commands for liaison officers
/pending                   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/liaisons                  ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/open                      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/mine                      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/close                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/reopen                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/s                         ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗
/snippet                   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/faqlist                   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/faqadd                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/faqedit                   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/faqremove                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/faqimport                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/faqexport                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/subjects                  ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/schedules                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/broadcast                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/broadcasts                ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/barometer                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# commands for admins
/liaison                   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✗    ✗
/subject                   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✗    ✗
# buttons for everyone
menu                       ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗
lang:page                  ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗
lang:nl                    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗
forget:yes                 ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗
forget:no                  ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗
# joining
onb:register               ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗
onb:code                   ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗
kind:youth                 ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗
# the association's board
assn:page                  ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
assn:invite                ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
assn:members               ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
assn:leave                 ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
assn:leave:yes             ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
assn:leave:no              ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
# a board member's settings, and the 🔕 button under an optional message
set:page                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
set:t:news                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
set:pause                  ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
set:resume                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
fewer:news                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
# the kapstokken, asking, the board's threads
k:2                        ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✗    ✗
ask:2                      ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
ask:subject:{subject}      ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
ask:faq:yes                ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
ask:faq:no                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
mt:list                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
mt:view:{thread_a}         ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
mt:add:{thread_a}          ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
mt:close:{thread_a}        ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
mt:solved:{thread_a}       ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
mt:unsolved:{thread_a}     ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
# the FAQ
faq:k:2                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✗    ✗
faq:e:{faq}                ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✗    ✗
# liaison officers' buttons
assoc:approve:{pending}    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
assoc:reject:{pending}     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
th:take:{thread_a}         ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
th:close:{thread_a}        ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
th:reopen:{thread_a}       ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
th:view:{thread_a}         ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
th:reply:{thread_a}        ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
faqadd:k:2                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
faqadd:l:nl                ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
faqlist:p:1                ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# schedules
sc:new                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:content:barometer       ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:freq:monthly            ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:all                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:kind:youth              ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:aud                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:nophoto                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:confirm                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:days                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:discard                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:pause:{schedule}        ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:resume:{schedule}       ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:del:{schedule}          ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sc:del:yes:{schedule}      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# broadcasts
bc:all                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:kind:youth              ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:lang:nl                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:open                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:aud                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:send                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:sched                   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:cancel                  ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:stop:1                  ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bc:list:1                  ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# the barometer: a board's answer, and the liaison's "You said, we did"
bar:s:{round}:1:3          ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bar:c:{round}              ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bar:send:{round}           ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bar:ours                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bar:ys:{round}             ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
bar:ys:send:{round}        ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# kapstok 3: the association's public profile (pr:cm:100 names A's keeper), the directory
/profile                   ✗    –    ✗    –    ✓    –    ✓    –    ✗    –    ✗    –    ✗    –
/directory                 ✗    –    ✗    –    ✓    –    ✓    –    ✗    –    ✗    –    ✗    –
pr:page                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
pr:desc                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
pr:offers:offers           ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
pr:t:offers:gear           ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
pr:contact                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
pr:cm:100                  ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
pr:phone                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
pr:email                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
pr:list:yes                ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dir:page                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dir:all:1                  ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dir:kind:youth:1           ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dir:by:offers              ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dir:o:offers:gear:1        ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dir:search                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dir:w:1                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dir:e:{association_b}      ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:with:{association_b}   ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
# kapstok 3: introductions ({intro}: A's open request to B) and calls ({call_a}: A's open call)
/call                      ✗    –    ✗    –    ✓    –    ✓    –    ✗    –    ✗    –    ✗    –
/calls                     ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✓    ✓    ✓    ✗    ✗
intro:ask:{association_b}  ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
intro:yes:{intro}          ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
intro:no:{intro}           ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:new                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:for:volunteers        ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:kind:youth            ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:all                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:kinds                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:days:30               ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:publish               ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:discard               ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:re:{call_a}           ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:answer:yes            ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:list                  ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:view:{call_a}         ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:close:{call_a}        ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
call:wd:{call_a}           ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# kapstok 4: activities ({activity}: A's public activity with B asked along; {past_activity}:
# A's activity that ended, its board asked how it went)
/activity                  ✗    –    ✗    –    ✓    –    ✓    –    ✗    –    ✗    –    ✗    –
/activities                ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
act:new                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:nodesc                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:pub:yes                ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:partner:{association_b} ✗   ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:pdone                  ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:save                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:redate                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:discard                ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:view:{activity}        ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✓    ✗    ✗    ✗
act:yes:{activity}         ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:no:{activity}          ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:edit:{activity}:when   ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:cancel:{activity}      ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:cancel:yes:{activity}  ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:score:{past_activity}:3 ✗   ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:gear:{past_activity}:yes ✗  ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:comment:{past_activity} ✗   ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
act:lw:20261130            ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
act:lm:202612              ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
cal:v:30:1                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
cal:ics:ours               ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
cal:ics:public             ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
cal:pick                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
cal:m:202701               ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
cal:d:20261215             ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
cal:t:1400                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
# kapstok 5: recognition, recorded by liaison officers
/association               ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
rec:s:{association_a}:applied ✗ ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
rec:r:{association_a}      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# kapstok 5: following requests ({request_a}: A's gear request) and activities' dossiers
# ({activity}: A's activity, with a photo in its dossier for dos:f)
/requests                  ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✓    ✓    ✓    ✓    ✗    ✗
/dossier                   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
rq:l:1                     ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
rq:v:{request_a}           ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
rq:csv:month               ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
rq:ask:{request_a}         ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
dos:v:{activity}           ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
dos:f:{activity}           ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
dos:add:{activity}         ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
dos:done                   ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
# kapstok 5: the lending service's catalog ({gear}: an item of it, with a photo), for liaisons
/gear                      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:p:1                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:i:{gear}                ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:add                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:e:{gear}                ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:f:{gear}:stock          ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:k:youth                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:kd                      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:rec:yes                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:ph:{gear}               ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:rm:{gear}               ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:rmy:{gear}              ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:exp                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gi:imp                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# kapstok 5: the lending service's desk ({gear_request}: A's request waiting for a decision,
# {gear_approved}: one approved, {gear_picked_up}: one picked up; made again when used up)
gd:ok:{gear_request}       ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:part:{gear_request}     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:q:{gear_request}:{desk_item}:down ✗ ✗ ✗ ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:pok:{gear_request}      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:card:{gear_request}     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:no:{gear_request}       ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:pu:{gear_approved}      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:dep:{gear_approved}:yes ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:ret:{gear_picked_up}    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:ro:{gear_picked_up}:no  ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:nophoto:{gear_picked_up} ✗   ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
gd:keep:{gear_picked_up}:none ✗ ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
# kapstok 5: borrowing gear, the board's side ({borrowable}: an item of the catalog;
# {borrowed_a}: A's gear request waiting for a decision, made again once cancelled)
bo:new                     ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:pick                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:m:202701                ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:d:20261218              ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:v:1                     ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:i:{borrowable}          ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:less:{borrowable}       ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:more:{borrowable}       ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:dates                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:basket                  ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:back                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:act:{activity}          ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:noact                   ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:nonote                  ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:send                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:discard                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:cancel:{borrowed_a}     ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:cancel:yes:{borrowed_a} ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
bo:keep:{borrowed_a}       ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
# kapstok 5: subsidies ({subsidy_type}: an active type; {subsidy_a}: A's request waiting for a
# decision, {subsidy_approved_a}: A's approved request; su:act and su:noact need A's activity)
/subsidies                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:list                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:new                     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:view:{subsidy_type}     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:edit:{subsidy_type}     ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:off:{subsidy_type}      ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:skip                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:keep                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:rec:yes                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:save                    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
st:discard                 ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
su:new                     ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:type:{subsidy_type}     ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:done                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:act:{activity}          ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:noact                   ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:send                    ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:discard                 ✗    ✗    ✗    ✗    ✓    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:cancel:{subsidy_a}      ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:cancel:yes:{subsidy_a}  ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
su:keep:{subsidy_a}        ✗    ✗    ✗    ✗    ✓    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗
sd:ok:{subsidy_a}          ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sd:no:{subsidy_a}          ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sd:paid:{subsidy_approved_a} ✗  ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
sd:today:{subsidy_approved_a} ✗ ✗    ✗    ✗    ✗    ✗    ✗    ✗    ✓    ✓    ✓    ✓    ✗    ✗
"""

# (row, role, chat) -> why the application does not (yet) do what the chart says.
HOLES: dict[tuple[str, str, str], str] = {}


def parse_chart(chart: str) -> dict[str, dict[tuple[str, str], str]]:
    rows = {}
    for line in chart.strip().splitlines():
        if line.startswith("#"):
            continue
        action, *symbols = line.split()
        assert len(symbols) == 2 * len(ROLES), f"{action}: {len(symbols)} symbols"
        assert set(symbols) <= set(MEANING), f"{action}: {symbols}"
        assert action not in rows, f"{action} twice"
        rows[action] = {
            (role, chat): symbols[2 * index + offset]
            for index, role in enumerate(ROLES)
            for offset, chat in enumerate(CHATS)
        }
    return rows


EXPECTED = parse_chart(CHART)


# --- the values of a row -----------------------------------------------------------------------


def values(the_cast: Cast) -> dict[str, object]:
    return {
        "thread_a": the_cast.thread_a,
        "thread_b": the_cast.thread_b,
        "pending": the_cast.association["p"],
        "association_a": the_cast.association["a"],
        "association_b": the_cast.association["b"],
        "faq": the_cast.faq,
        "subject": the_cast.subject,
        "schedule": _schedule_ids.get(the_cast.kapstok, 1),
        "intro": _intro_ids.get(the_cast.kapstok, 1),
        "call_a": _call_ids.get(the_cast.kapstok, 1),
        "activity": _activity_ids.get(the_cast.kapstok, 1),
        "past_activity": _past_activity_ids.get(the_cast.kapstok, 1),
        "round": the_cast.round,
        "subsidy_type": _subsidy_type_ids.get(the_cast.kapstok, 1),
        "subsidy_a": _subsidy_ids.get(the_cast.kapstok, (1, 2))[0],
        "subsidy_approved_a": _subsidy_ids.get(the_cast.kapstok, (1, 2))[1],
        "request_a": _request_ids.get(the_cast.kapstok, 1),
        "borrowable": _borrowable_ids.get(the_cast.kapstok, 1),
        "borrowed_a": _borrowed_ids.get(the_cast.kapstok, 1),
        "gear_request": _desk(the_cast, "requested"),
        "gear_approved": _desk(the_cast, "approved"),
        "gear_picked_up": _desk(the_cast, "picked_up"),
        "desk_item": _desk(the_cast, "item"),
        "gear": _gear_ids.get(the_cast.kapstok, 1),
    }


SAMPLE_VALUES = {
    "thread_a": 1,
    "thread_b": 2,
    "pending": 3,
    "association_a": 1,
    "association_b": 2,
    "faq": 1,
    "subject": 4,
    "schedule": 1,
    "intro": 1,
    "call_a": 1,
    "activity": 1,
    "past_activity": 2,
    "round": 1,
    "subsidy_type": 1,
    "subsidy_a": 1,
    "subsidy_approved_a": 2,
    "request_a": 1,
    "borrowable": 1,
    "borrowed_a": 1,
    "gear_request": 1,
    "gear_approved": 2,
    "gear_picked_up": 3,
    "desk_item": 1,
    "gear": 1,
}


def button_of_row(action: str):
    """The declared button a row presses (None for a command)."""
    if action.startswith("/"):
        return None
    data = action.format(**SAMPLE_VALUES)
    found = [b for b in callbacks.all_buttons().values() if b.parse(data) is not None]
    assert len(found) == 1, f"{action} is the data of {found}"
    return found[0]


# --- bringing a role to a button's step -----------------------------------------------------


async def press(person, data: str, chat_id: int) -> None:
    await person.press_data(data, on=steps.newest(person.bot, chat_id))


async def to_kind(the_cast: Cast, person, chat_id: int) -> None:
    await steps.send_text(person, person.user_id, "/start")
    await press(person, callbacks.REGISTER.data(), person.user_id)
    await steps.send_text(person, person.user_id, f"Vereniging {person.user_id}")


async def to_subject(the_cast: Cast, person, chat_id: int) -> None:
    await steps.send_text(person, person.user_id, "/menu")
    await press(person, callbacks.ASK.data(2), person.user_id)


async def to_faq_offer(the_cast: Cast, person, chat_id: int) -> None:
    await to_subject(the_cast, person, chat_id)
    await press(person, callbacks.ASK_SUBJECT.data(the_cast.subject), person.user_id)
    await steps.send_text(person, person.user_id, steps.FAQ_QUESTION)


async def to_faq_kapstok(the_cast: Cast, person, chat_id: int) -> None:
    await steps.send_text(person, chat_id, "/faqadd")


async def to_faq_language(the_cast: Cast, person, chat_id: int) -> None:
    await to_faq_kapstok(the_cast, person, chat_id)
    await press(person, callbacks.FAQ_ADD_KAPSTOK.data(2), chat_id)


# Schedules: the one the list's buttons press, per Kapstok (made again after a delete).
_schedule_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()


async def _reply_to_schedule_prompt(person, chat_id: int, text: str) -> None:
    prompt = steps.newest(person.bot, chat_id) if chat_id == LIAISON_CHAT_ID else None
    await steps.send_text(person, chat_id, text, reply_to=prompt)


async def to_schedule_content(the_cast: Cast, person, chat_id: int) -> None:
    await steps.send_text(person, chat_id, "/schedules")
    await press(person, callbacks.SCHEDULE_NEW.data(), chat_id)


async def to_schedule_frequency(the_cast: Cast, person, chat_id: int) -> None:
    await to_schedule_content(the_cast, person, chat_id)
    await press(person, callbacks.SCHEDULE_CONTENT.data("barometer"), chat_id)


async def to_schedule_open_days(the_cast: Cast, person, chat_id: int) -> None:
    await to_schedule_frequency(the_cast, person, chat_id)
    await press(person, callbacks.SCHEDULE_FREQUENCY.data("monthly"), chat_id)
    for text in ("15", "09:00"):
        await _reply_to_schedule_prompt(person, chat_id, text)


async def to_schedule_audience(the_cast: Cast, person, chat_id: int) -> None:
    await to_schedule_open_days(the_cast, person, chat_id)
    await _reply_to_schedule_prompt(person, chat_id, "14")


async def to_schedule_photo(the_cast: Cast, person, chat_id: int) -> None:
    await to_schedule_content(the_cast, person, chat_id)
    await press(person, callbacks.SCHEDULE_CONTENT.data("checkin"), chat_id)
    await press(person, callbacks.SCHEDULE_FREQUENCY.data("monthly"), chat_id)
    for text in ("15", "09:00", "Hoe gaat het met jullie vereniging?"):
        await _reply_to_schedule_prompt(person, chat_id, text)


async def to_schedule_summary(the_cast: Cast, person, chat_id: int) -> None:
    await to_schedule_audience(the_cast, person, chat_id)
    await press(person, callbacks.SCHEDULE_ALL.data(), chat_id)


async def _a_schedule(the_cast: Cast, paused: bool) -> None:
    """A monthly barometer schedule to press on, paused or running."""
    from datetime import time

    from bot.domain.audience import Audience as Boards
    from bot.domain.schedules import Rule, next_run

    kapstok = the_cast.kapstok
    store = kapstok.app.bot_data.store
    number = _schedule_ids.get(kapstok)
    schedule = await store.schedules.get(number) if number else None
    if schedule is None:
        rule = Rule("monthly", time(9, 0), day=15)
        number = await store.schedules.create(
            created_by=the_cast["admin"].user_id,
            created_by_name="Admin",
            rule=rule,
            audience=Boards(),
            content="barometer",
            next_run_at=next_run(rule, store.now(), kapstok.config.timezone),
        )
        _schedule_ids[kapstok] = number
    if (schedule is not None and schedule.paused) != paused:
        await store.schedules.set_paused(number, paused, None)


async def to_running_schedule(the_cast: Cast, person, chat_id: int) -> None:
    await _a_schedule(the_cast, paused=False)


async def to_paused_schedule(the_cast: Cast, person, chat_id: int) -> None:
    await _a_schedule(the_cast, paused=True)


async def _answer_prompt(person, chat_id: int, text: str) -> None:
    """Answer the bot's question: in the group, as a reply to it."""
    prompt = steps.newest(person.bot, chat_id) if chat_id == LIAISON_CHAT_ID else None
    await steps.send_text(person, chat_id, text, reply_to=prompt)


async def to_broadcast_audience(the_cast: Cast, person, chat_id: int) -> None:
    await steps.send_text(person, chat_id, "/broadcast")
    await _answer_prompt(person, chat_id, "Beste besturen, tot zondag!")


async def to_broadcast_preview(the_cast: Cast, person, chat_id: int) -> None:
    await to_broadcast_audience(the_cast, person, chat_id)
    await press(person, callbacks.BROADCAST_AUDIENCE_DONE.data(), chat_id)


async def to_you_said_preview(the_cast: Cast, person, chat_id: int) -> None:
    # The round's "You said, we did" is still to write, whoever of the row wrote it before.
    await the_cast.kapstok.app.bot_data.store.db.write(
        "UPDATE barometer_rounds SET you_said = NULL, you_said_at = NULL"
    )
    await steps.send_text(person, chat_id, "/barometer")
    await press(person, callbacks.YOU_SAID.data(the_cast.round), chat_id)
    await _answer_prompt(person, chat_id, "We zoeken samen een oplossing.")


async def to_directory_words(the_cast: Cast, person, chat_id: int) -> None:
    await steps.send_text(person, person.user_id, "/directory chiro")


async def to_listed_b(the_cast: Cast, person, chat_id: int) -> None:
    """Association B is in the directory."""
    from bot.domain.profiles import ContactKind

    profiles = the_cast.kapstok.app.bot_data.store.profiles
    association = the_cast.association["b"]
    if not await profiles.is_listed(association):
        await profiles.set_description(association, "Jeugdbeweging met tenten.", "nl")
        await profiles.set_contact_text(association, ContactKind.PHONE, "014 21 21 21", 200)
        await profiles.set_listed(association, True)


# --- kapstok 3: introductions and calls ----------------------------------------------------

# A's open request to B, and A's open call, per Kapstok (made again once answered or ended).
_intro_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()
_call_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()


async def to_listed_a_and_b(the_cast: Cast, person=None, chat_id: int | None = None) -> None:
    """A and B are in the directory, each with a phone number as its contact."""
    from bot.domain.profiles import ContactKind

    profiles = the_cast.kapstok.app.bot_data.store.profiles
    for key, keeper in steps.KEEPERS.items():
        association = the_cast.association[key]
        if not await profiles.is_listed(association):
            await profiles.set_description(association, "Wij doen graag iets samen.", "nl")
            await profiles.set_contact_text(association, ContactKind.PHONE, "014 21 21 21", keeper)
            await profiles.set_listed(association, True)


async def to_introduction_request(the_cast: Cast, person, chat_id: int) -> None:
    """A's open request to B, in the chats of B's board members."""
    from bot.deliveries import queue
    from handlers.cooperation.introductions import request_row

    await to_listed_a_and_b(the_cast)
    kapstok = the_cast.kapstok
    store = kapstok.app.bot_data.store
    number = _intro_ids.get(kapstok)
    found = await store.introductions.get(number) if number else None
    if found is not None and found.state == "open":
        return
    a, b = the_cast.association["a"], the_cast.association["b"]
    made = await store.introductions.create(a, b, "Zullen we samen iets doen?", steps.KEEPERS["a"])
    _intro_ids[kapstok] = made.introduction_id
    board = await store.associations.board_members(b)

    async def send(context) -> None:
        await queue(
            context.application, [request_row(m.user_id, made.introduction_id) for m in board]
        )

    await kapstok.run_job(send)


async def _open_call_of_a(the_cast: Cast) -> int:
    """A's open call, shown in A's topic."""
    from datetime import timedelta

    from bot.deliveries import queue
    from bot.domain.calls import ALL_KINDS, Purpose, is_open
    from handlers.bulk import today
    from handlers.cooperation import call_deliveries

    await to_listed_a_and_b(the_cast)
    kapstok = the_cast.kapstok
    store = kapstok.app.bot_data.store
    day = today(store, kapstok.config)
    number = _call_ids.get(kapstok)
    found = await store.calls.get(number) if number else None
    if found is not None and is_open(found, day):
        return found.call_id
    made = await store.calls.create(
        association_id=the_cast.association["a"],
        purpose=Purpose.VOLUNTEERS,
        text="Wie helpt ons de tenten opzetten?",
        file_id=None,
        kinds=ALL_KINDS,
        until=day + timedelta(days=30),
        created_by=steps.KEEPERS["a"],
    )
    _call_ids[kapstok] = made.call_id

    async def in_topic(context) -> None:
        await queue(context.application, [call_deliveries.topic_row(LIAISON_CHAT_ID, made.call_id)])

    await kapstok.run_job(in_topic)
    return made.call_id


async def to_call_of_a(the_cast: Cast, person, chat_id: int) -> None:
    await _open_call_of_a(the_cast)
    if chat_id != LIAISON_CHAT_ID:
        await steps.send_text(person, chat_id, "/calls")


async def to_call_delivered(the_cast: Cast, person, chat_id: int) -> None:
    """A's open call reached the person: the newest message of their chat."""
    call_id = await _open_call_of_a(the_cast)
    await steps.deliver_call(the_cast.kapstok, person, call_id)


async def to_call_answer_written(the_cast: Cast, person, chat_id: int) -> None:
    await to_call_delivered(the_cast, person, chat_id)
    await press(person, callbacks.CALL_RESPOND.data(_call_ids[the_cast.kapstok]), chat_id)
    await steps.send_text(person, chat_id, "Wij helpen graag mee.")


async def to_call_purpose(the_cast: Cast, person, chat_id: int) -> None:
    await to_listed_a_and_b(the_cast)
    await steps.send_text(person, chat_id, "/call")


async def to_call_kinds(the_cast: Cast, person, chat_id: int) -> None:
    await to_call_purpose(the_cast, person, chat_id)
    await press(person, callbacks.CALL_PURPOSE.data("volunteers"), chat_id)
    await steps.send_text(person, chat_id, "Wie helpt ons de tenten opzetten?")


async def to_call_until(the_cast: Cast, person, chat_id: int) -> None:
    await to_call_kinds(the_cast, person, chat_id)
    await press(person, callbacks.CALL_KINDS_DONE.data(), chat_id)


async def to_call_preview(the_cast: Cast, person, chat_id: int) -> None:
    await to_call_until(the_cast, person, chat_id)
    await press(person, callbacks.CALL_DAYS.data(30), chat_id)


CALL_SETUPS = {
    "intro:ask:{association_b}": to_listed_a_and_b,
    "intro:yes:{intro}": to_introduction_request,
    "intro:no:{intro}": to_introduction_request,
    "call:for:volunteers": to_call_purpose,
    "call:kind:youth": to_call_kinds,
    "call:all": to_call_kinds,
    "call:kinds": to_call_kinds,
    "call:days:30": to_call_until,
    "call:publish": to_call_preview,
    "call:discard": to_call_preview,
    "call:re:{call_a}": to_call_delivered,
    "call:answer:yes": to_call_answer_written,
    "call:view:{call_a}": to_call_of_a,
    "call:close:{call_a}": to_call_of_a,
    "call:wd:{call_a}": to_call_of_a,
}


async def _pressed_on_kapstok_3(the_cast: Cast, action: str, person, chat: str) -> Message | None:
    """A's request in a board member's own copy; A's call in A's topic."""
    kapstok = the_cast.kapstok
    store = kapstok.app.bot_data.store
    if chat == "private" and action.startswith(("intro:yes:", "intro:no:")):
        number = _intro_ids.get(kapstok)
        copy = await store.introductions.message_of(number, person.user_id) if number else None
        if copy is not None:
            return Message(kapstok.telegram.messages[(person.user_id, copy)])
    if chat == "group" and action.startswith("call:wd:"):
        return await steps.call_topic_message(kapstok, _call_ids[kapstok])
    return None


# The steps are in the private chat, but for the liaisons' (in the chat of the cell).
SETUPS = {
    "dir:w:1": to_directory_words,
    "dir:e:{association_b}": to_listed_b,
    "act:with:{association_b}": to_listed_b,
    "bc:all": to_broadcast_audience,
    "bc:kind:youth": to_broadcast_audience,
    "bc:lang:nl": to_broadcast_audience,
    "bc:open": to_broadcast_audience,
    "bc:aud": to_broadcast_audience,
    "bc:send": to_broadcast_preview,
    "bc:sched": to_broadcast_preview,
    "bc:cancel": to_broadcast_preview,
    "bar:ys:send:{round}": to_you_said_preview,
    "kind:youth": to_kind,
    "ask:subject:{subject}": to_subject,
    "ask:faq:yes": to_faq_offer,
    "ask:faq:no": to_faq_offer,
    "faqadd:k:2": to_faq_kapstok,
    "faqadd:l:nl": to_faq_language,
    "sc:content:barometer": to_schedule_content,
    "sc:freq:monthly": to_schedule_frequency,
    "sc:all": to_schedule_audience,
    "sc:kind:youth": to_schedule_audience,
    "sc:aud": to_schedule_audience,
    "sc:nophoto": to_schedule_photo,
    "sc:confirm": to_schedule_summary,
    "sc:days": to_schedule_open_days,
    "sc:discard": to_schedule_summary,
    "sc:pause:{schedule}": to_running_schedule,
    "sc:resume:{schedule}": to_paused_schedule,
    "sc:del:{schedule}": to_running_schedule,
    "sc:del:yes:{schedule}": to_running_schedule,
}
SETUPS.update(CALL_SETUPS)
SETUP_IN_THE_CELLS_CHAT = {
    "call:wd:{call_a}",
    "faqadd:k:2",
    "faqadd:l:nl",
    "sc:content:barometer",
    "sc:freq:monthly",
    "sc:all",
    "sc:kind:youth",
    "sc:aud",
    "sc:nophoto",
    "sc:confirm",
    "sc:days",
    "sc:discard",
    "sc:pause:{schedule}",
    "sc:resume:{schedule}",
    "sc:del:{schedule}",
    "sc:del:yes:{schedule}",
    "bc:all",
    "bc:kind:youth",
    "bc:lang:nl",
    "bc:open",
    "bc:aud",
    "bc:send",
    "bc:sched",
    "bc:cancel",
    "bar:ys:send:{round}",
}


# --- kapstok 4: activities ------------------------------------------------------------------

# A's activity with B asked along, and A's activity that ended, per Kapstok (made once).
_activity_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()
_past_activity_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()


async def to_activity(the_cast: Cast, person=None, chat_id: int | None = None) -> None:
    """A's public activity in March 2027, with B asked as a partner."""
    from datetime import UTC, datetime, timedelta

    kapstok = the_cast.kapstok
    if kapstok in _activity_ids:
        return
    start = datetime(2027, 3, 12, 13, 0, tzinfo=UTC)
    made = await kapstok.app.bot_data.store.activities.create(
        the_cast.association["a"],
        steps.KEEPERS["a"],
        "Sint-Maartenstoet",
        start,
        start + timedelta(hours=3),
        "Zaal De Kroon",
        "",
        True,
        [the_cast.association["b"]],
    )
    _activity_ids[kapstok] = made.activity_id


async def to_past_activity(the_cast: Cast, person=None, chat_id: int | None = None) -> None:
    """A's activity of yesterday, its board asked how it went."""
    kapstok = the_cast.kapstok
    if kapstok not in _past_activity_ids:
        keeper = kapstok.person(steps.KEEPERS["a"], "Keeper", "nl")
        _past_activity_ids[kapstok] = await steps.past_activity(kapstok, keeper)


def to_activity_step(state: str, typed: str | None = None, press_after: str | None = None):
    """A board member plans an activity up to a step (typing a partner's name with a typo, or
    picking a day, there)."""

    async def setup(the_cast: Cast, person, chat_id: int) -> None:
        if state == "partners":
            await to_listed_a_and_b(the_cast)
        await steps.activity_to(person, state)
        if typed is not None:
            await steps.send_text(person, person.user_id, typed)
        if press_after is not None:
            await press(person, press_after, person.user_id)

    return setup


ACTIVITY_SETUPS = {
    "act:nodesc": to_activity_step("description"),
    "act:pub:yes": to_activity_step("public"),
    "act:partner:{association_b}": to_activity_step("partners", typed="Chiro Sint-Pieterr"),
    "act:pdone": to_activity_step("partners"),
    "act:save": to_activity_step("review"),
    "act:redate": to_activity_step("review"),
    "act:discard": to_activity_step("review"),
    "act:view:{activity}": to_activity,
    "act:yes:{activity}": to_activity,
    "act:no:{activity}": to_activity,
    "act:edit:{activity}:when": to_activity,
    "act:cancel:{activity}": to_activity,
    "act:cancel:yes:{activity}": to_activity,
    "act:score:{past_activity}:3": to_past_activity,
    "act:gear:{past_activity}:yes": to_past_activity,
    "act:comment:{past_activity}": to_past_activity,
    "cal:pick": to_activity_step("start"),
    "cal:m:202701": to_activity_step("start", press_after="cal:pick"),
    "cal:d:20261215": to_activity_step("start", press_after="cal:pick"),
    "cal:t:1400": to_activity_step("start", press_after="cal:d:20261215"),
}
SETUPS.update(ACTIVITY_SETUPS)


# --- kapstok 5: the lending service's catalog -----------------------------------------------

# The catalog's item the buttons press, per Kapstok (added again after a removal).
_gear_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()


async def to_gear_item(the_cast: Cast, person=None, chat_id: int | None = None) -> None:
    """An item in the catalog, with a photo."""
    from bot.domain.gear import GearItem

    gear = the_cast.kapstok.app.bot_data.store.gear
    number = _gear_ids.get(the_cast.kapstok)
    found = await gear.get(number) if number else None
    if found is None or not found.active:
        made = await gear.add(GearItem(0, "Tent 6x3", "Tenten", 4, photo_file_id="photo-tent"))
        _gear_ids[the_cast.kapstok] = made.item_id


def to_gear_field(name: str):
    """The catalog's item, its field `name` being edited in the cell's chat."""

    async def setup(the_cast: Cast, person, chat_id: int) -> None:
        await to_gear_item(the_cast)
        await steps.send_text(person, chat_id, "/gear")
        data = callbacks.GEAR_FIELD.data(_gear_ids[the_cast.kapstok], name)
        await press(person, data, chat_id)

    return setup


GEAR_SETUPS = {
    "gi:i:{gear}": to_gear_item,
    "gi:e:{gear}": to_gear_item,
    "gi:f:{gear}:stock": to_gear_item,
    "gi:ph:{gear}": to_gear_item,
    "gi:rm:{gear}": to_gear_item,
    "gi:rmy:{gear}": to_gear_item,
    "gi:k:youth": to_gear_field("kinds"),
    "gi:kd": to_gear_field("kinds"),
    "gi:rec:yes": to_gear_field("recognition"),
}
SETUPS.update(GEAR_SETUPS)
SETUP_IN_THE_CELLS_CHAT.update(GEAR_SETUPS)


# --- kapstok 5: the lending service's desk ---------------------------------------------------

# Per Kapstok: "requested" | "approved" | "picked_up" -> A's gear request in that state, and
# "item" -> the item it asks for.
_desk_ids: weakref.WeakKeyDictionary[Kapstok, dict[str, int]] = weakref.WeakKeyDictionary()


def _desk(the_cast: Cast, what: str) -> int:
    return _desk_ids.get(the_cast.kapstok, {}).get(what, 1)


async def to_gear_request(the_cast: Cast, status: str) -> int:
    """A's gear request in this status (2 tents from 18 to 21 December), its card in A's topic;
    a new one when the last one moved on."""
    from datetime import date

    from bot.domain.gear import GearItem
    from bot.domain.requests import Status
    from handlers.support.gear_card import queue_card

    kapstok = the_cast.kapstok
    store = kapstok.app.bot_data.store
    ids = _desk_ids.setdefault(kapstok, {})
    number = ids.get(status)
    found = await store.requests.get(number) if number else None
    if found is not None and found.status == status:
        return number
    if "item" not in ids:
        item = await store.gear.add(GearItem(0, "Partytent", "Tenten", 1000, deposit_cents=5000))
        ids["item"] = item.item_id
    item_id = ids["item"]
    keeper = steps.KEEPERS["a"]
    made = await store.gear_requests.create(
        the_cast.association["a"], keeper, date(2026, 12, 18), date(2026, 12, 21), {item_id: 2}
    )
    number = made.request_id
    if status != Status.REQUESTED:
        await store.gear_requests.approve(number, {item_id: 2}, the_cast["admin"].user_id)
    if status == Status.PICKED_UP:
        await store.gear_requests.picked_up(number, the_cast["admin"].user_id, True)
    ids[status] = number

    async def card(context) -> None:
        await queue_card(context.application, number)

    await kapstok.run_job(card)
    return number


# The gear card's own buttons: in the group they act only on the request's card.
GEAR_CARD_BUTTONS = ("gd:ok:", "gd:part:", "gd:q:", "gd:pok:", "gd:card:", "gd:no:", "gd:pu:",
                     "gd:ret:")  # fmt: skip
GEAR_STATUSES = {
    "{gear_request}": "requested",
    "{gear_approved}": "approved",
    "{gear_picked_up}": "picked_up",
}


async def _gear_card(the_cast: Cast, number: int) -> Message:
    kapstok = the_cast.kapstok
    request = await kapstok.app.bot_data.store.requests.get(number)
    return next(
        Message(message)
        for message in reversed(kapstok.telegram.sent_to(LIAISON_CHAT_ID))
        if message["message_id"] == request.card_message_id
    )


def to_desk(status: str, *presses: str, typed: str | None = None):
    """A's gear request in `status`; then the presses (data with {number}) in the cell's chat
    (on the card, in the group, for the card's buttons), and a typed answer to the last
    question."""

    async def setup(the_cast: Cast, person, chat_id: int) -> None:
        number = await to_gear_request(the_cast, status)
        for data in presses:
            data = data.format(number=number)
            if chat_id == LIAISON_CHAT_ID and data.startswith(GEAR_CARD_BUTTONS):
                await person.press_data(data, on=await _gear_card(the_cast, number))
            else:
                await press(person, data, chat_id)
        if typed is not None:
            await _answer_prompt(person, chat_id, typed)

    return setup


DESK_SETUPS = {
    "gd:ok:{gear_request}": to_desk("requested"),
    "gd:part:{gear_request}": to_desk("requested"),
    "gd:q:{gear_request}:{desk_item}:down": to_desk("requested"),
    "gd:pok:{gear_request}": to_desk("requested"),
    "gd:card:{gear_request}": to_desk("requested"),
    "gd:no:{gear_request}": to_desk("requested"),
    "gd:pu:{gear_approved}": to_desk("approved"),
    "gd:dep:{gear_approved}:yes": to_desk("approved"),
    "gd:ret:{gear_picked_up}": to_desk("picked_up"),
    "gd:ro:{gear_picked_up}:no": to_desk("picked_up", "gd:ret:{number}"),
    "gd:nophoto:{gear_picked_up}": to_desk(
        "picked_up", "gd:ret:{number}", "gd:ro:{number}:no", typed="Een scheur in het zeil."
    ),
    "gd:keep:{gear_picked_up}:none": to_desk("picked_up", "gd:ret:{number}", "gd:ro:{number}:yes"),
}
SETUPS.update(DESK_SETUPS)
SETUP_IN_THE_CELLS_CHAT.update(DESK_SETUPS)


# --- kapstok 5: borrowing gear, the board's side ------------------------------------------

# The item the catalog's buttons name, and A's gear request, per Kapstok.
_borrowable_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()
_borrowed_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()


def to_borrowing_step(state: str, *presses: str, with_activity: bool = False):
    """A board member borrows a tent up to a step (then presses these buttons there)."""

    async def setup(the_cast: Cast, person, chat_id: int) -> None:
        _borrowable_ids[the_cast.kapstok] = await steps.borrowable(the_cast.kapstok)
        if with_activity:
            await to_activity(the_cast)
        await steps.borrowing_to(person, state)
        for data in presses:
            await press(person, data, person.user_id)

    return setup


async def to_borrowed_a(the_cast: Cast, person=None, chat_id: int | None = None) -> None:
    """A's gear request waiting for a decision (a new one once the last was cancelled)."""
    from datetime import date

    from bot.domain.requests import Status

    kapstok = the_cast.kapstok
    store = kapstok.app.bot_data.store
    number = _borrowed_ids.get(kapstok)
    found = await store.requests.get(number) if number else None
    if found is None or found.status is not Status.REQUESTED:
        item = await steps.borrowable(kapstok)
        made = await store.gear_requests.create(
            the_cast.association["a"], steps.KEEPERS["a"], date(2026, 12, 18),
            date(2026, 12, 20), {item: 1},
        )  # fmt: skip
        _borrowed_ids[kapstok] = made.request_id


BORROWING_SETUPS = {
    "bo:pick": to_borrowing_step("pick_up"),
    "bo:m:202701": to_borrowing_step("pick_up", "bo:pick"),
    "bo:d:20261218": to_borrowing_step("pick_up", "bo:pick"),
    "bo:v:1": to_borrowing_step("choose"),
    "bo:i:{borrowable}": to_borrowing_step("choose"),
    "bo:less:{borrowable}": to_borrowing_step("choose"),
    "bo:more:{borrowable}": to_borrowing_step("choose"),
    "bo:dates": to_borrowing_step("choose"),
    "bo:basket": to_borrowing_step("choose"),
    "bo:back": to_borrowing_step("activity"),
    "bo:act:{activity}": to_borrowing_step("activity", with_activity=True),
    "bo:noact": to_borrowing_step("activity"),
    "bo:nonote": to_borrowing_step("note"),
    "bo:send": to_borrowing_step("review"),
    "bo:discard": to_borrowing_step("review"),
    "bo:cancel:{borrowed_a}": to_borrowed_a,
    "bo:cancel:yes:{borrowed_a}": to_borrowed_a,
    "bo:keep:{borrowed_a}": to_borrowed_a,
}
SETUPS.update(BORROWING_SETUPS)


# --- kapstok 5: following requests, and activities' dossiers --------------------------------

# A's gear request, per Kapstok (made once).
_request_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()


async def to_request_of_a(the_cast: Cast, person=None, chat_id: int | None = None) -> None:
    """A gear request of association A, waiting for a decision."""
    from datetime import date

    from bot.domain.gear import GearItem

    kapstok = the_cast.kapstok
    if kapstok in _request_ids:
        return
    store = kapstok.app.bot_data.store
    item = await store.gear.named("Dossiertent") or await store.gear.add(
        GearItem(0, "Dossiertent", "Tenten", 100)
    )
    made = await store.gear_requests.create(
        the_cast.association["a"],
        steps.KEEPERS["a"],
        date(2027, 6, 4),
        date(2027, 6, 6),
        {item.item_id: 2},
    )
    _request_ids[kapstok] = made.request_id


async def to_activity_with_evidence(the_cast: Cast, person=None, chat_id=None) -> None:
    """A's activity, with a photo in its dossier."""
    from bot.domain.request_summaries import EvidenceKind

    await to_activity(the_cast)
    store = the_cast.kapstok.app.bot_data.store
    number = _activity_ids[the_cast.kapstok]
    if not await store.evidence.of_activity(number):
        await store.evidence.add(
            number,
            the_cast.association["a"],
            EvidenceKind.PHOTO,
            "photo-dossier",
            "u-dossier",
            added_by=steps.KEEPERS["a"],
        )


async def to_dossier_adding(the_cast: Cast, person, chat_id: int) -> None:
    """The person pressed *Add to the dossier* of A's activity (which only A's board may)."""
    await to_activity(the_cast)
    data = callbacks.DOSSIER_ADD.data(_activity_ids[the_cast.kapstok])
    await press(person, data, person.user_id)


REQUEST_SETUPS = {
    "rq:v:{request_a}": to_request_of_a,
    "rq:ask:{request_a}": to_request_of_a,
    "dos:v:{activity}": to_activity,
    "dos:f:{activity}": to_activity_with_evidence,
    "dos:add:{activity}": to_activity,
    "dos:done": to_dossier_adding,
}
SETUPS.update(REQUEST_SETUPS)
SETUP_IN_THE_CELLS_CHAT.update(
    {"rq:v:{request_a}", "rq:ask:{request_a}", "dos:v:{activity}", "dos:f:{activity}"}
)


# --- kapstok 5: subsidies -------------------------------------------------------------------

# The active type, and A's requests (waiting, approved), per Kapstok; put back as they were
# when a press changed them.
_subsidy_type_ids: weakref.WeakKeyDictionary[Kapstok, int] = weakref.WeakKeyDictionary()
_subsidy_ids: weakref.WeakKeyDictionary[Kapstok, tuple[int, int]] = weakref.WeakKeyDictionary()


async def to_subsidy_type(the_cast: Cast, person=None, chat_id: int | None = None) -> None:
    """An active subsidy type without attachments or recognition asked."""
    kapstok = the_cast.kapstok
    store = kapstok.app.bot_data.store
    if kapstok not in _subsidy_type_ids:
        _subsidy_type_ids[kapstok] = await steps.subsidy_type(kapstok)
    await store.db.write(
        "UPDATE subsidy_types SET active = 1 WHERE type_id = ?", (_subsidy_type_ids[kapstok],)
    )


async def to_subsidy_requests(the_cast: Cast, person=None, chat_id: int | None = None) -> None:
    """A's request waiting for a decision and A's approved one, each with its card."""
    from bot.deliveries import queue
    from handlers.support import subsidy_card

    await to_subsidy_type(the_cast)
    kapstok = the_cast.kapstok
    store = kapstok.app.bot_data.store
    if kapstok not in _subsidy_ids:
        made = []
        for _ in range(2):
            made.append(
                await store.subsidies.create(
                    the_cast.association["a"],
                    steps.KEEPERS["a"],
                    _subsidy_type_ids[kapstok],
                    50000,
                    "Zomerkamp",
                )
            )
        await store.subsidies.approve(made[1].request_id, 40000, the_cast["admin"].user_id)
        _subsidy_ids[kapstok] = (made[0].request_id, made[1].request_id)

        async def cards(context) -> None:
            for request in made:
                await queue(context.application, subsidy_card.queue_rows(LIAISON_CHAT_ID, request))

        await kapstok.run_job(cards)
    waiting, approved = _subsidy_ids[kapstok]
    await store.db.write(
        "UPDATE support_requests SET status = 'requested' WHERE request_id = ?", (waiting,)
    )
    await store.db.write(
        "UPDATE subsidy_requests SET granted_cents = NULL WHERE request_id = ?", (waiting,)
    )
    await store.db.write(
        "UPDATE support_requests SET status = 'approved' WHERE request_id = ?", (approved,)
    )
    await store.db.write(
        "UPDATE subsidy_requests SET paid_on = NULL WHERE request_id = ?", (approved,)
    )


async def _subsidy_card(the_cast: Cast, action: str) -> Message:
    await to_subsidy_requests(the_cast)
    waiting, approved = _subsidy_ids[the_cast.kapstok]
    number = approved if action.startswith(("sd:paid:", "sd:today:")) else waiting
    return await steps.subsidy_card_message(the_cast.kapstok, number)


def to_subsidy_type_field(position: int):
    """A liaison edits the type up to its field at `position` (10: the summary)."""

    async def setup(the_cast: Cast, person, chat_id: int) -> None:
        await to_subsidy_type(the_cast)
        await steps.send_text(person, chat_id, "/subsidies")
        await press(
            person, callbacks.SUBSIDY_TYPE_EDIT.data(_subsidy_type_ids[the_cast.kapstok]), chat_id
        )
        for _ in range(position):
            await press(person, callbacks.SUBSIDY_TYPE_KEEP.data(), chat_id)

    return setup


def to_subsidy_step(state: str, with_activity: bool = False):
    """A board member requests a subsidy up to the attachments, the activity or the review."""

    async def setup(the_cast: Cast, person, chat_id: int) -> None:
        await to_subsidy_type(the_cast)
        if with_activity:
            await to_activity(the_cast)
        await steps.send_text(person, person.user_id, "/menu")
        await press(
            person, callbacks.SUBSIDY_TYPE.data(_subsidy_type_ids[the_cast.kapstok]), person.user_id
        )
        await steps.send_text(person, person.user_id, "100")
        await steps.send_text(person, person.user_id, "Zomerkamp")
        if state == "files":
            return
        await press(person, callbacks.SUBSIDY_FILES_DONE.data(), person.user_id)
        newest = steps.newest(person.bot, person.user_id)
        if state == "review" and callbacks.SUBSIDY_NO_ACTIVITY.data() in str(newest.raw):
            await press(person, callbacks.SUBSIDY_NO_ACTIVITY.data(), person.user_id)

    return setup


SUBSIDY_SETUPS = {
    "st:view:{subsidy_type}": to_subsidy_type,
    "st:edit:{subsidy_type}": to_subsidy_type,
    "st:off:{subsidy_type}": to_subsidy_type,
    "st:keep": to_subsidy_type_field(0),
    "st:skip": to_subsidy_type_field(1),
    "st:rec:yes": to_subsidy_type_field(8),
    "st:save": to_subsidy_type_field(10),
    "st:discard": to_subsidy_type_field(10),
}
SETUPS.update(SUBSIDY_SETUPS)
SETUP_IN_THE_CELLS_CHAT.update(SUBSIDY_SETUPS)
SETUPS.update(
    {
        "su:new": to_subsidy_type,
        "su:type:{subsidy_type}": to_subsidy_type,
        "su:done": to_subsidy_step("files"),
        "su:act:{activity}": to_subsidy_step("activity", with_activity=True),
        "su:noact": to_subsidy_step("activity", with_activity=True),
        "su:send": to_subsidy_step("review"),
        "su:discard": to_subsidy_step("review"),
        "su:cancel:{subsidy_a}": to_subsidy_requests,
        "su:cancel:yes:{subsidy_a}": to_subsidy_requests,
        "su:keep:{subsidy_a}": to_subsidy_requests,
        "sd:ok:{subsidy_a}": to_subsidy_requests,
        "sd:no:{subsidy_a}": to_subsidy_requests,
        "sd:paid:{subsidy_approved_a}": to_subsidy_requests,
        "sd:today:{subsidy_approved_a}": to_subsidy_requests,
    }
)
SETUP_IN_THE_CELLS_CHAT.update(
    {
        "sd:ok:{subsidy_a}",
        "sd:no:{subsidy_a}",
        "sd:paid:{subsidy_approved_a}",
        "sd:today:{subsidy_approved_a}",
    }
)


async def pressed_on(the_cast: Cast, action: str, person, chat: str) -> Message:
    """A bot message in the cell's chat: the newest in a private chat; in the group the card
    the button belongs on (a thread's, the waiting association's) or the newest."""
    kapstok = the_cast.kapstok
    if (found := await _pressed_on_kapstok_3(the_cast, action, person, chat)) is not None:
        return found
    if chat == "private" and action.startswith(("bar:s:", "bar:c:", "bar:send:")):
        found = [m for m in kapstok.telegram.sent_to(person.user_id) if "📊" in m.get("text", "")]
        return Message(found[-1]) if found else steps.newest(kapstok, person.user_id)
    if chat == "private":
        return steps.newest(kapstok, person.user_id)
    if action.startswith(("th:", "mt:")):
        return await the_cast.card_of_thread(the_cast.thread_a)
    if action.startswith("assoc:"):
        return await the_cast.card_of_pending()
    if action.startswith("sd:"):
        return await _subsidy_card(the_cast, action)
    if action.startswith(GEAR_CARD_BUTTONS):
        status = next(GEAR_STATUSES[key] for key in GEAR_STATUSES if key in action)
        return await _gear_card(the_cast, await to_gear_request(the_cast, status))
    return steps.newest(kapstok, LIAISON_CHAT_ID)


# --- what came back --------------------------------------------------------------------------

REFUSAL_MSGIDS = (
    "This is for board members of an association. Register your association or enter an "
    "invite code first: send /start.",
    "Your association is still waiting for a liaison officer's confirmation. As soon as it is "
    "confirmed, you can use this.",
    "Only liaison officers of the municipality can do this.",
    "Only admins of Kapstok can do this.",
    "This request is not one of your association's.",
    "This button does not work here. Nothing was changed.",
    "This button is no longer valid.",
    "This button is no longer valid. Here is the menu.",
    "I don't know the command /{command}. /help lists the commands you can use.",
    "This question is not (or no longer) one of your association's.",
    "There is no question #{number}.",
    "The kapstokken open once your association is confirmed by the municipality.",
    "You are already a board member of {association}. To start or join another association, "
    "leave this one first with /leave.",
    "You are not a board member of any association.",
    "Only the board of the association that organises this activity can change it.",
    "Your own association cannot be its own partner.",
)
_SENTINEL = "\x00"


def refusal_pattern(msgid: str, language: str) -> re.Pattern:
    """A refusal as the bot says it in this language, its placeholders matching anything."""
    with i18n.use_language(language):
        text = i18n._(msgid)
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    plain = html_to_text(text.format(**dict.fromkeys(names, _SENTINEL)))
    return re.compile(re.escape(plain).replace(_SENTINEL, ".*"), re.DOTALL)


def refusals() -> list[re.Pattern]:
    """In Dutch, the cast's language (the catalogs load when the first Kapstok starts)."""
    return [refusal_pattern(msgid, "nl") for msgid in REFUSAL_MSGIDS]


def said(call) -> str | None:
    text = call.params.get("text")
    if text is None:
        return None
    return html_to_text(text) if call.params.get("parse_mode") == "HTML" else text


def outcome(calls, chat_id: int) -> tuple[str, list[str]]:
    """✓, ✗ or – for the calls one command or press made, and what was said."""
    answered, texts = False, []
    for call in calls:
        in_the_chat = (
            call.method in steps.ANSWERING_METHODS and int(call.params["chat_id"]) == chat_id
        )
        if call.method != "answerCallbackQuery" and not in_the_chat:
            continue
        answered = True
        if said(call):
            texts.append(said(call))
    if any(pattern.search(text) for pattern in refusals() for text in texts):
        return REFUSED, texts
    return (ACTS if answered else SILENT), texts


# --- one Kapstok per row -----------------------------------------------------------------------


class Worlds:
    """A fresh Kapstok and cast for each row, made at the row's first cell; one at a time."""

    def __init__(self, tmp_path_factory) -> None:
        self.tmp_path_factory = tmp_path_factory
        self.action: str | None = None
        self.kapstok: Kapstok | None = None
        self.cast: Cast | None = None
        self.probe: Probe | None = None

    async def of(self, action: str) -> tuple[Cast, Probe]:
        if action != self.action:
            await self.close()
            self.kapstok = Kapstok(self.tmp_path_factory.mktemp("row"))
            await self.kapstok.start()
            self.probe = Probe(self.kapstok)
            start = self.probe.mark()
            self.cast = await steps.cast(self.kapstok)
            assert not self.probe.problems(start), self.probe.problems(start)
            self.action = action
        return self.cast, self.probe

    async def close(self) -> None:
        if self.kapstok is not None:
            await self.kapstok.stop()
        self.action = self.kapstok = self.cast = self.probe = None


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def worlds(tmp_path_factory):
    found = Worlds(tmp_path_factory)
    yield found
    await found.close()


async def perform(the_cast: Cast, probe: Probe, action: str, role: str, chat: str):
    """Run one cell: its setup, then the command or the press. (symbol, what was said, what
    changed in the database, problems)."""
    kapstok = the_cast.kapstok
    person = the_cast[role]
    chat_id = person.user_id if chat == "private" else LIAISON_CHAT_ID
    setup = SETUPS.get(action)
    if setup is not None and (chat == "private" or action in SETUP_IN_THE_CELLS_CHAT):
        await setup(the_cast, person, chat_id)
    before = await steps.snapshot(kapstok)
    mark = probe.mark()
    text = action.format(**values(the_cast))
    if action.startswith("/"):
        await steps.send_text(person, chat_id, text)
    else:
        await person.press_data(text, on=await pressed_on(the_cast, action, person, chat))
    symbol, texts = outcome(probe.calls_since(mark), chat_id)
    changed = steps.changes(before, await steps.snapshot(kapstok))
    return symbol, texts, changed, probe.problems(mark)


def cells():
    for action, row in EXPECTED.items():
        for role in ROLES:
            # The group first: a press that acts in the private chat may make the person leave
            # or be forgotten, and their next update is a first contact again.
            for chat in reversed(CHATS):
                hole = HOLES.get((action, role, chat))
                marks = [pytest.mark.xfail(strict=True, reason=hole)] if hole else []
                yield pytest.param(
                    action, role, chat, row[(role, chat)], marks=marks, id=f"{action}-{role}-{chat}"
                )


@IN_THE_MODULES_LOOP
@pytest.mark.parametrize(("action", "role", "chat", "expected"), list(cells()))
async def test_permission(worlds, action, role, chat, expected):
    the_cast, probe = await worlds.of(action)
    symbol, texts, changed, problems = await perform(the_cast, probe, action, role, chat)
    cell = f"{action} by {role} in the {chat} chat"
    assert not problems, f"{cell}: " + "\n".join(problems)
    assert symbol == expected, (
        f"{cell}: the chart says {expected} ({MEANING[expected]}), it {MEANING[symbol]}: {texts}"
    )
    if expected != ACTS:
        assert not changed, f"{cell} was {MEANING[expected]} but changed the database: {changed}"


# --- the chart itself --------------------------------------------------------------------------


def test_every_command_and_button_has_a_row():
    commands = {f"/{command.name}" for command in COMMANDS}
    rows = set(EXPECTED)
    assert sorted(commands - rows) == [], "commands without a row in the chart"
    assert sorted(row for row in rows if row.startswith("/") and row not in commands) == [], (
        "rows of commands that no longer exist"
    )
    pressed = {button_of_row(row) for row in rows if not row.startswith("/")}
    missing = [name for name, button in callbacks.all_buttons().items() if button not in pressed]
    assert missing == [], "buttons without a row in the chart"


def test_every_hole_is_a_cell_of_the_chart():
    for action, role, chat in HOLES:
        assert (role, chat) in EXPECTED[action], (action, role, chat)


@IN_THE_MODULES_LOOP
async def test_every_refusal_is_a_text_the_bot_says(worlds):
    await worlds.of("/help")  # the catalogs load with the first Kapstok
    for msgid in REFUSAL_MSGIDS:
        with i18n.use_language("nl"):
            assert i18n._(msgid) != msgid, f"not in the Dutch catalog: {msgid!r}"


def test_the_chart_agrees_with_the_command_menus():
    """What /help and Telegram's command menus offer a role, the chart lets it do."""
    for command in COMMANDS:
        row = EXPECTED[f"/{command.name}"]
        in_group = command.name in GROUP_COMMANDS
        if command.audience is Audience.MEMBER:
            assert row[("member_a", "private")] == ACTS, command.name
        if command.audience is Audience.LIAISON:
            assert row[("liaison", "group" if in_group else "private")] == ACTS, command.name
            assert row[("member_a", "private")] != ACTS, command.name
        if command.audience is Audience.ADMIN:
            assert row[("admin", "private")] == ACTS, command.name
            assert row[("liaison", "private")] == REFUSED, command.name
        if command.audience is Audience.EVERYONE:
            assert row[("stranger", "private")] == ACTS, command.name
        assert (row[("liaison", "group")] != SILENT) == in_group, (
            f"/{command.name} is {'' if in_group else 'not '}in the group's command menu"
        )
