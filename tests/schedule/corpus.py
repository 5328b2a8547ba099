"""Expressions every backend is checked against: its artifact must fire exactly when cronsim
says, over a whole year, or the backend must refuse the expression with a clear reason."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

CORPUS: tuple[str, ...] = (
    # the examples
    "*/7 * * * *",
    "0 0 1,15 * 1",
    "30 2 * * 1-5",
    "0 */4 * * *",
    "0 9 * jan,jul mon",
    "30 2 * * *",  # a DST day in Europe/Paris (skipped in March, repeated in October)
    "0 3 * * *",
    # presets
    "0 * * * *",
    "0 0 * * *",
    "15 6 * * *",
    "0 8 * * 1",
    "0 8 * * 1,3,5",
    "45 23 * * 0,6",
    "0 6 1 * *",
    "30 1 15 * *",
    "0 12 31 * *",
    "0 12 29 * *",
    "*/5 * * * *",
    "*/10 * * * *",
    "*/15 * * * *",
    "*/30 * * * *",
    "0 */2 * * *",
    "0 */6 * * *",
    "0 */12 * * *",
    # ranges, lists, steps
    "0 8-18 * * 1-5",
    "*/20 9-17 * * mon-fri",
    "0,30 * * * *",
    "5,35 7-19/2 * * *",
    "0 0 * * 0",
    "0 0 * * 7",
    "0 22 * * 5-7",
    "10 4 1-7 * *",
    "0 0 1 */3 *",
    "0 0 1 1 *",
    "0 0 1 jan,apr,jul,oct *",
    "0 12 * 2 *",
    "0 12 29 2 *",
    "0 9 1,15,28 * *",
    "0 9 10-20/5 * *",
    "59 23 * * *",
    "1 0 * * *",
    "0 6,18 * * *",
    "0 0,12 * * 6",
    "0 7 * 12 1-5",
    "30 9 * may-sep sat,sun",
    "0 0 13 * 5",  # Friday or the 13th (the OR rule)
    "0 0 */2 * *",  # every odd day of the month
    "0 0 * * */2",  # Sun, Tue, Thu, Sat
    "*/5 * 1 * *",
    "0 1-5 * * *",
    "15,45 */3 * * 1-6",
    "0 0 1-7 * 1",  # first week or any Monday (OR)
    "20 4 * * 2",
)

# Wall-clock comparisons are made in UTC, where every day has 24 hours: what a scheduler does in a
# skipped or repeated hour is its own (documented) rule, not a property of the artifact we wrote.
YEAR_START = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
YEAR_END = YEAR_START + timedelta(days=365)


@functools.cache
def cronsim_year(
    expr: str, start: datetime = YEAR_START, end: datetime = YEAR_END
) -> list[datetime]:
    """cronsim's fire times in [start, end), as naive local wall-clock times."""
    from cronsim import CronSim

    out = []
    for t in CronSim(expr, start - timedelta(seconds=1)):
        if t >= end:
            break
        out.append(t.replace(tzinfo=None))
    return out
