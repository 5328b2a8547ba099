"""The schedule grammar, presets and next runs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bwdc_tray.errors import InvalidInput
from bwdc_tray.schedule import cron


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("*/15 * * * *", "*/15 * * * *"),
        ("0 0 1,15 * 1", "0 0 1,15 * 1"),
        ("30 2 * * 1-5", "30 2 * * 1-5"),
        ("0 */4 * * *", "0 */4 * * *"),
        ("0 9 * JAN,Jul mon", "0 9 * 1,7 1"),
        ("0 9 * * 7", "0 9 * * 0"),
        ("0 9 * * 5-7", "0 9 * * 0,5-6"),
        ("  0   9 * *   mon-fri ", "0 9 * * 1-5"),
        ("@daily", "0 0 * * *"),
        ("0 8-18/2 * * *", "0 8-18/2 * * *"),
    ],
)
def test_accepted_expressions(text: str, canonical: str) -> None:
    assert cron.parse(text).text == canonical


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("0 0 L * *", "L (last day)"),
        ("0 0 15W * *", "W (nearest weekday)"),
        ("0 0 * * 1#2", "nth weekday"),
        ("0 0 ? * *", "Quartz"),
        ("H * * * *", "Jenkins"),
        ("0 0 0 * * *", "seconds or year field"),
        ("@reboot", "@reboot is refused"),
        ("0 0 30 2 *", "can never run"),
        ("0 0 31 4,6,9,11 *", "can never run"),
        ("60 * * * *", "out of range for the minute"),
        ("0 0 * 13 *", "out of range for the month"),
        ("0 0 * * fri-mon", "goes backwards"),
        ("5/10 * * * *", "a step needs a range"),
        ("*/0 * * * *", "never advances"),
        ("0 0 * * funday", "not a valid day of week"),
        ("", "empty"),
        ("0 0 * *", "has 4 fields"),
    ],
)
def test_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why.replace("(", r"\(").replace(")", r"\)")):
        cron.parse(text)


@pytest.mark.parametrize(
    ("preset", "expr"),
    [
        ("hourly", "0 * * * *"),
        ("daily 02:30", "30 2 * * *"),
        ("daily 7:05", "5 7 * * *"),
        ("weekly mon,fri 08:00", "0 8 * * 1,5"),
        ("weekly sunday 23:59", "59 23 * * 0"),
        ("monthly 1 06:00", "0 6 1 * *"),
        ("every 15m", "*/15 * * * *"),
        ("every 6h", "0 */6 * * *"),
        ("every 1h", "0 * * * *"),
    ],
)
def test_presets(preset: str, expr: str) -> None:
    assert cron.resolve(preset).text == expr


@pytest.mark.parametrize(
    ("preset", "why"),
    [
        ("daily 24:00", "not a time"),
        ("daily", "written `daily HH:MM`"),
        ("weekly xyz 08:00", "not a day"),
        ("monthly 32 08:00", "1 to 31"),
        ("every 7m", "evenly"),
        ("every 5 minutes", "every Nm"),
    ],
)
def test_bad_presets(preset: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        cron.resolve(preset)


@pytest.mark.parametrize(
    "text",
    [
        "* * * * *",
        "*/2 * * * *",
        "*/7 * * * *",
        "0,3 * * * *",
        "0,58 0,23 * * *",
    ],
)
def test_floor_of_five_minutes_unless_asked(text: str) -> None:
    with pytest.raises(InvalidInput, match="--allow-frequent"):
        cron.resolve(text)
    assert cron.resolve(text, allow_frequent=True).text


def test_every_five_minutes_is_allowed() -> None:
    assert cron.resolve("every 5m").min_gap_minutes() == 5


def test_next_runs_follow_local_time_across_dst() -> None:
    paris = ZoneInfo("Europe/Paris")
    spring = cron.parse("30 2 * * *").next_runs(3, datetime(2026, 3, 28, 12, tzinfo=paris))
    # 02:30 does not exist on 29 March: like cron, it runs right after the change.
    assert [t.strftime("%d %H:%M %Z") for t in spring] == [
        "29 03:00 CEST",
        "30 02:30 CEST",
        "31 02:30 CEST",
    ]
    autumn = cron.parse("30 2 * * *").next_runs(2, datetime(2026, 10, 24, 12, tzinfo=paris))
    # 02:30 happens twice on 25 October: it runs once.
    assert [t.strftime("%d %H:%M") for t in autumn] == ["25 02:30", "26 02:30"]
    hourly = cron.parse("0 * * * *").next_runs(4, datetime(2026, 10, 25, 1, 30, tzinfo=paris))
    assert len({t.astimezone(ZoneInfo("UTC")) for t in hourly}) == 4


def test_day_of_month_or_day_of_week() -> None:
    runs = cron.parse("0 0 1,15 * 1").next_runs(6, datetime(2026, 6, 1, 1, tzinfo=ZoneInfo("UTC")))
    assert {t.day for t in runs} >= {8, 15}  # Mondays and the 15th
    assert all(t.weekday() == 0 or t.day in (1, 15) for t in runs)


def test_a_weekday_step_up_to_seven_adds_sunday_only_when_it_lands_on_it() -> None:
    assert sorted(cron.parse("0 9 * * 2-7/2").weekdays) == [2, 4, 6]
    assert sorted(cron.parse("0 9 * * 1-7/2").weekdays) == [0, 1, 3, 5]


def test_the_floor_only_spans_midnight_when_two_days_in_a_row_run() -> None:
    assert cron.resolve("0,58 0,23 * * 1").min_gap_minutes() == 58  # Mondays only
    assert cron.parse("0,58 0,23 * * 1,2").min_gap_minutes() == 2
    assert cron.parse("0,58 0,23 1 * *").min_gap_minutes() == 58
    assert cron.parse("0,58 0,23 1,31 * *").min_gap_minutes() == 2  # the 31st, then the 1st


def test_next_runs_use_the_zone_rules_not_todays_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    assert str(cron.local_zone()) == "Europe/Paris"
    # Started in winter time, the runs after the March change carry the summer offset.
    start = datetime(2026, 3, 27, 12, tzinfo=cron.local_zone())
    runs = cron.parse("30 2 * * *").next_runs(4, start)
    assert [t.isoformat() for t in runs][-1] == "2026-03-31T02:30:00+02:00"
