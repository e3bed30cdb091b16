"""The barometer chart renders a PNG of 800 x 450 in every shape the data can take."""

from __future__ import annotations

import asyncio
from io import BytesIO

import pytest
from matplotlib.image import imread

from handlers.checkins.chart import barometer_chart, barometer_chart_async

PNG = b"\x89PNG\r\n\x1a\n"
ROUNDS = ["1 mrt. 2027", "1 jun. 2027", "1 sep. 2027", "1 dec. 2027"]
SERIES = [
    ("1 Good relationship", [3.2, 3.5, None, 4.1]),
    ("2 Guidance", [2.0, 2.4, 2.9, 3.0]),
    ("3 Cooperation", [4.0, None, 3.8, 3.9]),
    ("4 Activities", [1.0, 1.5, 2.0, 5.0]),
    ("5 Support", [None, 3.0, 3.3, 3.4]),
]


def _size(png: bytes) -> tuple[int, int]:
    """The width and height of the decoded image."""
    pixels = imread(BytesIO(png), format="png")
    return pixels.shape[1], pixels.shape[0]


def _assert_png(png: bytes) -> None:
    assert png.startswith(PNG)
    assert 5_000 < len(png) < 500_000
    assert _size(png) == (800, 450)


def test_full_chart():
    _assert_png(barometer_chart(ROUNDS, SERIES, title="Barometer", y_label="Average score"))


def test_one_round():
    series = [(label, values[:1]) for label, values in SERIES]
    _assert_png(barometer_chart(ROUNDS[:1], series, title="Barometer", y_label="Score"))


def test_all_none_series():
    series = [*SERIES[:4], ("5 Support", [None] * len(ROUNDS))]
    _assert_png(barometer_chart(ROUNDS, series, title="Barometer", y_label="Score"))


def test_no_data_at_all():
    series = [(label, [None] * len(ROUNDS)) for label, _ in SERIES]
    _assert_png(barometer_chart(ROUNDS, series, title="Barometer", y_label="Score"))


def test_own_average():
    png = barometer_chart(
        ROUNDS,
        SERIES,
        title="Barometer",
        y_label="Score",
        own=[2.5, None, 3.0, 3.5],
        own_label="Your association",
    )
    _assert_png(png)


def test_accents():
    series = [(f"{i} Coöperatie, été, façade", values) for i, (_, values) in enumerate(SERIES)]
    png = barometer_chart(
        ["1 févr. 2027", "1 août 2027", "1 déc. 2027", "1 mars 2028"],
        series,
        title="Baromètre de la coopération, ça va très bien",
        y_label="Gemiddelde score (één tot vijf)",
        own=[3.0, 3.1, 3.2, 3.3],
        own_label="Uw vereniging: Société Générale",
    )
    _assert_png(png)


def test_emoji_and_odd_characters_are_dropped_without_warning():
    series = [(f"🤝 {label} ✅️ $5", values) for label, values in SERIES]
    png = barometer_chart(ROUNDS, series, title="📊 Barometer $x$", y_label="Score 👍")
    _assert_png(png)


def test_many_rounds_slant_their_labels():
    rounds = [f"1 mrt. {year}" for year in range(2027, 2039)]
    series = [(label, [(i % 5) + 1.0 for i in range(len(rounds))]) for label, _ in SERIES]
    _assert_png(barometer_chart(rounds, series, title="Barometer", y_label="Score"))


def test_values_must_match_the_rounds():
    with pytest.raises(ValueError, match="Guidance"):
        barometer_chart(ROUNDS, [("2 Guidance", [1.0])], title="Barometer", y_label="Score")


async def test_concurrent_rendering():
    first, second = await asyncio.gather(
        barometer_chart_async(ROUNDS, SERIES, title="Barometer", y_label="Score"),
        barometer_chart_async(
            ROUNDS, SERIES, title="Barometer", y_label="Score", own=[1, 2, 3, 4], own_label="Own"
        ),
    )
    _assert_png(first)
    _assert_png(second)
    assert first == barometer_chart(ROUNDS, SERIES, title="Barometer", y_label="Score")
