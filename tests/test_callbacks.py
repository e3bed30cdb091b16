"""Callback data: every button's data parses back, forged or stale data parses as nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers import callbacks
from handlers.callbacks import SQLITE_MAX_INTEGER, Button, Choice, Number

BUTTONS = callbacks.all_buttons()
TELEGRAM_DATA_LIMIT = 64  # bytes


def valid_values(button: Button) -> list[tuple]:
    """Every choice of each field, and small, middling and the largest numbers."""
    combinations: list[tuple] = [()]
    for field in button.fields:
        options = list(field.values) if isinstance(field, Choice) else [1, 42, SQLITE_MAX_INTEGER]
        combinations = [(*values, option) for values in combinations for option in options]
    return combinations


VALID = [
    pytest.param(button, values, id=f"{name}{values}")
    for name, button in BUTTONS.items()
    for values in valid_values(button)
]


def test_the_buttons_are_all_found():
    assert len(BUTTONS) >= 30
    assert BUTTONS["MY_THREAD"] is callbacks.MY_THREAD


@pytest.mark.parametrize(("button", "values"), VALID)
def test_the_data_of_every_button_parses_back_into_its_values(button, values):
    data = button.data(*values)
    assert button.parse(data) == values
    assert button.matches(data)
    assert button.claims(data)
    assert button.value(data) == (values[0] if values else None)


@pytest.mark.parametrize(("button", "values"), VALID)
def test_the_data_of_every_button_is_parsed_by_no_other_button(button, values):
    data = button.data(*values)
    assert [other for other in BUTTONS.values() if other.parse(data) is not None] == [button]


@pytest.mark.parametrize("button", BUTTONS.values(), ids=BUTTONS.keys())
def test_the_data_of_every_button_fits_in_telegrams_64_bytes(button):
    longest = [
        max(field.values, key=len) if isinstance(field, Choice) else SQLITE_MAX_INTEGER
        for field in button.fields
    ]
    assert len(button.data(*longest).encode()) <= TELEGRAM_DATA_LIMIT


@pytest.mark.parametrize("button", BUTTONS.values(), ids=BUTTONS.keys())
def test_a_button_refuses_to_make_data_with_too_many_or_too_few_values(button):
    with pytest.raises(ValueError, match=button.prefix):
        button.data(*[1] * (len(button.fields) + 1))
    if button.fields:
        with pytest.raises(ValueError, match=button.prefix):
            button.data()


def test_no_two_buttons_share_a_prefix():
    prefixes = [button.prefix for button in BUTTONS.values()]
    assert len(prefixes) == len(set(prefixes))


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1", "42", str(SQLITE_MAX_INTEGER)])
def test_a_number_is_a_positive_integer_in_sqlites_range(text):
    assert Number().parse(text) == int(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1\n",
        "1.0",
        "1e3",
        "0x10",
        "1_000",
        "²",
        "١٢٣",
        "１２",
        str(2**63),
        str(2**64),
        "99999999999999999999",
    ],
)
def test_anything_else_is_no_number(text):
    assert Number().parse(text) is None


@pytest.mark.parametrize(
    "data",
    [
        "mt:view:²",
        "mt:view:١٢٣",
        "mt:view:",
        "mt:view:-3",
        "mt:view:0",
        f"mt:view:{2**63}",
        "mt:view:abc",
        "mt:view",
        "mt:view:3:4",
        "mt:view:3:",
        ":mt:view:3",
        "MT:view:3",
        "mt:view :3",
    ],
)
def test_a_button_with_a_number_refuses_anything_but_one_valid_number(data):
    assert callbacks.MY_THREAD.parse(data) is None
    assert not callbacks.MY_THREAD.matches(data)
    assert callbacks.MY_THREAD.value(data) is None


@pytest.mark.parametrize(
    ("button", "data"),
    [
        (callbacks.MENU, "menu:"),
        (callbacks.MENU, "menu:1"),
        (callbacks.MENU, "men"),
        (callbacks.KAPSTOK_PAGE, "k:0"),
        (callbacks.KAPSTOK_PAGE, "k:6"),
        (callbacks.KAPSTOK_PAGE, "k:"),
        (callbacks.KAPSTOK_PAGE, "k:1:1"),
        (callbacks.LANGUAGE, "lang:de"),
        (callbacks.LANGUAGE, "lang:NL"),
        (callbacks.LANGUAGE, "lang:page"),
        (callbacks.LANGUAGE_PAGE, "lang:nl"),
        (callbacks.ASK, "ask:3"),
        (callbacks.ASK, "ask:subject:3"),
        (callbacks.ASK, "ask:faq:yes"),
        (callbacks.ASK_SUBJECT, "ask:1"),
        (callbacks.ASK_SUBJECT, "ask:subject"),
        (callbacks.ASK_FAQ_HELPED, "ask:faq:no"),
        (callbacks.LEAVE, "assn:leave:yes"),
        (callbacks.LEAVE_CONFIRM, "assn:leave"),
        (callbacks.FORGET_CONFIRM, "forget:no"),
        (callbacks.KIND, "kind:Youth"),
        (callbacks.APPROVE, "assoc:reject:3"),
        (callbacks.FAQ_ENTRY, "faq:e:99999999999999999999"),
        (callbacks.FAQ_ADD_LANGUAGE, "faqadd:l:de"),
    ],
)
def test_a_button_refuses_data_that_is_not_its_own(button, data):
    assert button.parse(data) is None


@pytest.mark.parametrize("data", [None, 3, b"menu", ("menu",)])
def test_data_that_is_no_text_is_no_buttons(data):
    assert all(button.parse(data) is None for button in BUTTONS.values())
    assert not any(button.claims(data) for button in BUTTONS.values())
    assert not callbacks.is_malformed(data)


# --- claims ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("button", "data"),
    [
        (callbacks.MY_THREAD, "mt:view:abc"),
        (callbacks.MY_THREAD, "mt:view:²"),
        (callbacks.MY_THREAD, "mt:view:"),
        (callbacks.MY_THREAD, "mt:view:0"),
        (callbacks.THREAD_TAKE, "th:take:-1"),
        (callbacks.FAQ_ENTRY, "faq:e:99999999999999999999"),
        (callbacks.APPROVE, "assoc:approve:x"),
        (callbacks.MENU, "menu"),
    ],
)
def test_a_button_claims_its_prefix_with_the_right_number_of_values_whatever_they_are(button, data):
    assert button.claims(data)
    assert button.value(data) is None or button.fields == ()


@pytest.mark.parametrize(
    ("button", "data"),
    [
        (callbacks.MY_THREAD, "mt:view"),
        (callbacks.MY_THREAD, "mt:view:1:2"),
        (callbacks.MY_THREAD, "mt:add:1"),
        (callbacks.THREAD_TAKE, "th:tak:1"),
        (callbacks.MENU, "menu:1"),
        (callbacks.ASK_SUBJECT, "ask:1"),
    ],
)
def test_a_button_does_not_claim_another_prefix_or_another_number_of_values(button, data):
    assert not button.claims(data)


# --- malformed data ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "mt:view:abc",
        "th:take:²",
        "faq:e:99999999999999999999",
        "k:9",
        "menu:1",
        "assoc:approve:0",
        "ask:9",
        "kind:dragons",
        "mt:nonsense",
    ],
)
def test_data_that_names_one_of_our_buttons_but_does_not_parse_is_malformed(data):
    assert callbacks.is_malformed(data)


@pytest.mark.parametrize(("button", "values"), VALID)
def test_valid_data_of_any_button_is_not_malformed(button, values):
    assert not callbacks.is_malformed(button.data(*values))


@pytest.mark.parametrize("data", ["lang:de", "lang:page:x", "zzz:1", "zzz", "", "1", ":"])
def test_an_unknown_language_or_an_unknown_prefix_is_not_malformed(data):
    assert not callbacks.is_malformed(data)


# --- no ambiguity ------------------------------------------------------------------------------

PIECES = st.one_of(
    st.sampled_from(
        sorted({piece for button in BUTTONS.values() for piece in button.prefix.split(":")})
    ),
    st.sampled_from(["1", "2", "5", "0", "-1", "nl", "yes", "no", "²", "", str(2**63)]),
    st.text(max_size=5),
)
BUTTONISH = st.lists(PIECES, min_size=1, max_size=5).map(":".join)


@given(st.one_of(st.text(), BUTTONISH))
def test_no_text_is_parsed_by_two_buttons_and_parsing_never_raises(data):
    parsed_by = [button for button in BUTTONS.values() if button.parse(data) is not None]
    assert len(parsed_by) <= 1
    if parsed_by:
        (button,) = parsed_by
        values = button.parse(data)
        assert button.claims(data)
        assert button.parse(button.data(*values)) == values
        assert not callbacks.is_malformed(data)
    else:
        callbacks.is_malformed(data)
