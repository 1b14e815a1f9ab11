"""Cron schedules as Kubernetes reads them: robfig/cron v3's ParseStandard and Schedule.Next.

A CronJob's `spec.schedule` is five fields, minute hour day-of-month month day-of-week, each
`*`, `?` (day fields), a number, a range `a-b`, a step `*/n`, `a/n` or `a-b/n`, or a list of
these joined by commas; months and weekdays also by name (`jan`, `mon`, any case). Or one of
the descriptors `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`),
`@hourly`, or `@every <Go duration>`. A `TZ=Zone ` or `CRON_TZ=Zone ` prefix names the time
zone (the API refuses it in new CronJobs; `spec.timeZone` is the field for it).

Errors are robfig/cron's words, as the API server puts them in `spec.schedule: Invalid value`
(`expected exactly 5 fields, found 1: [hourly]`, `end of range (60) above maximum (59): 60`).

Written here rather than taken from a library: the Python cron packages (croniter and its
kin) accept seconds fields, `L`, `W` and `#`, and word their errors differently, where
Kubernetes must refuse those and say why in robfig's words; the parser and Next fit in one
small module.

Day matching follows robfig's Schedule: when both day fields are restricted, a day matches if
either does (`0 0 1 * mon`: the 1st and every Monday); when either is `*` or `?`, both must.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from controlplane.models.durations import parse_go_duration

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DAYS = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}


@dataclass(frozen=True)
class _Bounds:
    low: int
    high: int
    names: dict[str, int]


_MINUTE, _HOUR = _Bounds(0, 59, {}), _Bounds(0, 23, {})
_DOM, _MONTH, _DOW = _Bounds(1, 31, {}), _Bounds(1, 12, _MONTHS), _Bounds(0, 6, _DAYS)

_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_YEARS_AHEAD = 5  # robfig's Next gives up (zero time) after five years without a match


class CronError(ValueError):
    """An invalid schedule; the message is robfig/cron's."""


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: the matching values of each field, or an `@every` interval."""

    minutes: frozenset[int] = frozenset()
    hours: frozenset[int] = frozenset()
    days_of_month: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    days_of_week: frozenset[int] = frozenset()
    any_day: bool = False  # one of the day fields was `*` or `?`: both must match
    every: float = 0.0  # seconds, for `@every`
    zone: tzinfo = UTC

    def next_after(self, t: float) -> float | None:
        """Schedule.Next: the first activation strictly after epoch second `t`, or None."""
        if self.every:
            # ConstantDelaySchedule: whole seconds, at least one, from the time rounded down.
            return float(int(t) + max(int(self.every), 1))
        local = datetime.fromtimestamp(int(t), self.zone).replace(tzinfo=None, second=0)
        moment = local + timedelta(minutes=1)
        limit = moment.year + _YEARS_AHEAD
        while moment.year <= limit:
            if moment.month not in self.months:
                moment = _first_of_next_month(moment)
            elif not self._day_matches(moment):
                moment = moment.replace(hour=0, minute=0) + timedelta(days=1)
            elif moment.hour not in self.hours:
                moment = moment.replace(minute=0) + timedelta(hours=1)
            elif moment.minute not in self.minutes:
                moment += timedelta(minutes=1)
            else:
                return moment.replace(tzinfo=self.zone).timestamp()
        return None

    def _day_matches(self, moment: datetime) -> bool:
        dom = moment.day in self.days_of_month
        dow = (moment.isoweekday() % 7) in self.days_of_week
        return (dom and dow) if self.any_day else (dom or dow)


def _first_of_next_month(moment: datetime) -> datetime:
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return datetime(year, month, 1)


def load_zone(name: str) -> tzinfo:
    """time.LoadLocation: `UTC` (and "") is UTC; else an IANA name; CronError if unknown."""
    if name in ("", "UTC"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CronError(f"unknown time zone {name}") from exc


def parse_standard(spec: str, zone: tzinfo = UTC) -> Schedule:
    """ParseStandard: five fields or a descriptor, with an optional TZ= / CRON_TZ= prefix."""
    if not spec:
        raise CronError("empty spec string")
    if spec.startswith(("TZ=", "CRON_TZ=")):
        head, _, spec = spec.partition(" ")
        zone = load_zone(head.partition("=")[2])
        spec = spec.strip()
    if spec.startswith("@"):
        if spec.startswith("@every "):
            seconds = parse_go_duration(spec[len("@every ") :])
            if seconds is None:
                text = spec[len("@every ") :]
                raise CronError(f'failed to parse duration {spec}: time: invalid duration "{text}"')
            return Schedule(every=seconds, zone=zone)
        if spec not in _DESCRIPTORS:
            raise CronError(f"unrecognized descriptor: {spec}")
        spec = _DESCRIPTORS[spec]
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    minutes, _ = _field(fields[0], _MINUTE)
    hours, _ = _field(fields[1], _HOUR)
    dom, dom_star = _field(fields[2], _DOM)
    months, _ = _field(fields[3], _MONTH)
    dow, dow_star = _field(fields[4], _DOW)
    return Schedule(minutes, hours, dom, months, dow, dom_star or dow_star, zone=zone)


def _field(text: str, bounds: _Bounds) -> tuple[frozenset[int], bool]:
    """getField: the union of the comma-separated ranges; whether it was a plain star."""
    values: set[int] = set()
    star = False
    for part in text.split(","):
        found, is_star = _range(part, bounds)
        values |= found
        star = star or is_star
    return frozenset(values), star


def _range(expr: str, bounds: _Bounds) -> tuple[set[int], bool]:
    """getRange: `*`, `?`, `n`, `a-b`, each with an optional `/step`."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    star = False
    if low_and_high[0] in ("*", "?"):
        start, end, star = bounds.low, bounds.high, True
    else:
        start = _value(low_and_high[0], bounds)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _value(low_and_high[1], bounds)
        else:
            raise CronError(f"too many hyphens: {expr}")
    step = 1
    if len(range_and_step) == 2:
        step = _int(range_and_step[1])
        if single:  # `N/step` means `N-max/step`
            end = bounds.high
        if step > 1:
            star = False
    elif len(range_and_step) > 2:
        raise CronError(f"too many slashes: {expr}")
    if start < bounds.low:
        raise CronError(f"beginning of range ({start}) below minimum ({bounds.low}): {expr}")
    if end > bounds.high:
        raise CronError(f"end of range ({end}) above maximum ({bounds.high}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")
    return set(range(start, end + 1, step)), star


def _value(text: str, bounds: _Bounds) -> int:
    """parseIntOrName: a month or weekday name (any case), else a number."""
    named = bounds.names.get(text.lower())
    return named if named is not None else _int(text)


def _int(text: str) -> int:
    """mustParseInt: strconv.Atoi's words, and no negative numbers."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise CronError(
            f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax'
        )
    number = int(text)
    if number < 0:
        raise CronError(f"negative number ({number}) not allowed: {text}")
    return number
