"""Working hours: every hour from Monday to Friday, in the municipality's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


def working_hours_between(start: datetime, end: datetime, timezone: tzinfo) -> float:
    """Hours from start to end that fall on a weekday; Saturdays and Sundays do not count."""
    if end <= start:
        return 0.0
    local, local_end = start.astimezone(timezone), end.astimezone(timezone)
    total = timedelta()
    while local < local_end:
        next_midnight = (local + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        stop = min(next_midnight, local_end)
        if local.weekday() < 5:
            total += stop.astimezone(UTC) - local.astimezone(UTC)
        local = stop
    return total.total_seconds() / 3600
