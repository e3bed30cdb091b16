"""The barometer chart: the average score per kapstok over the check-in rounds, as a PNG.

Drawn with matplotlib's object API on the Agg canvas, never through pyplot's global state, so
it is safe to render from several threads at once and needs no display.
"""

from __future__ import annotations

import asyncio
import math
import re
import textwrap
from collections.abc import Sequence
from functools import cache
from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font

WIDTH, HEIGHT, DPI = 8, 4.5, 100  # 800 x 450 pixels
SCORES = (1, 2, 3, 4, 5)
TITLE_WIDTH = 70  # characters per title line before it wraps
LEGEND_FONT_PX = 7  # rough width of one legend character at the "small" font size
LEGEND_ENTRY_PX = 45  # the handle, padding and gap around one legend entry
LEGEND_MAX_COLUMNS = 3


@cache
def _charmap() -> frozenset[int]:
    """The code points the default font can draw."""
    return frozenset(get_font(findfont(FontProperties())).get_charmap())


def _clean(label: str) -> str:
    """The label without characters the font cannot draw (emoji, variation selectors, …).

    Drops everything outside the Basic Multilingual Plane and everything the default font has
    no glyph for, so matplotlib never warns about a missing glyph, and escapes dollar signs so
    a label is never taken for mathtext.
    """
    drawable = _charmap()
    kept = "".join(
        char for char in label if char == "\n" or (ord(char) <= 0xFFFF and ord(char) in drawable)
    )
    return re.sub(r" {2,}", " ", kept).strip().replace("$", r"\$")


def _points(values: Sequence[float | None], rounds: int, label: str) -> list[float]:
    if len(values) != rounds:
        raise ValueError(f"{label!r} has {len(values)} values for {rounds} rounds")
    return [math.nan if value is None else float(value) for value in values]


def _legend_columns(labels: Sequence[str]) -> int:
    """As many columns as fit next to each other below the plot, at most three."""
    longest = max((len(line) for label in labels for line in label.split("\n")), default=0)
    fit = int((WIDTH * DPI - 40) // (LEGEND_ENTRY_PX + LEGEND_FONT_PX * longest))
    return max(1, min(len(labels), LEGEND_MAX_COLUMNS, fit))


def barometer_chart(
    rounds: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    y_label: str,
    own: Sequence[float | None] | None = None,
    own_label: str | None = None,
) -> bytes:
    """The barometer as PNG bytes, 800 x 450 pixels.

    ``rounds`` are the x labels (formatted dates, oldest first); ``series`` holds one
    ``(label, values)`` per kapstok with one value per round, None where there is no data (the
    line then has a gap); ``own`` is an optional association's own average, drawn dashed black.
    """
    count = len(rounds)
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    positions = list(range(count))

    for label, values in series:
        ax.plot(
            positions,
            _points(values, count, label),
            marker="o",
            markersize=5,
            linewidth=2,
            label=_clean(label),
        )
    if own is not None:
        ax.plot(
            positions,
            _points(own, count, own_label or "own"),
            marker="s",
            markersize=5,
            linewidth=2,
            linestyle="--",
            color="black",
            label=_clean(own_label or ""),
        )

    ax.set_title("\n".join(textwrap.wrap(_clean(title), TITLE_WIDTH)), fontsize="large")
    ax.set_ylabel(_clean(y_label))
    # Fixed scale 1..5, with a little room so markers on 1 and 5 are not cut in half.
    ax.set_ylim(SCORES[0] - 0.2, SCORES[-1] + 0.2)
    ax.set_yticks(SCORES)
    ax.set_xlim(-0.5, max(count, 1) - 0.5)
    slanted = {"rotation": 30, "horizontalalignment": "right"} if count > 4 else {}
    ax.set_xticks(positions, [_clean(r) for r in rounds], **slanted)
    ax.grid(True, color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncols=_legend_columns(labels),
            fontsize="small",
            frameon=False,
        )

    buffer = BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


async def barometer_chart_async(
    rounds: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    y_label: str,
    own: Sequence[float | None] | None = None,
    own_label: str | None = None,
) -> bytes:
    """:func:`barometer_chart` in a worker thread, so rendering never blocks the event loop."""
    return await asyncio.to_thread(
        barometer_chart,
        rounds,
        series,
        title=title,
        y_label=y_label,
        own=own,
        own_label=own_label,
    )
