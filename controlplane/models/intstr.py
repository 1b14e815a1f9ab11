"""IntOrString values (`maxSurge: 25%` or `maxSurge: 1`) and their scaling.

Ported from apimachinery `pkg/util/intstr/intstr.go` (GetScaledValueFromIntOrPercent, IntValue)
and `pkg/controller/deployment/util/deployment_util.go` (ResolveFenceposts). Percentages are
scaled in float64 exactly as Go does, `ceil(p * total / 100)` for surge and
`floor(p * total / 100)` for unavailability, so that the fenceposts match a real cluster:

    replicas=10, 25%/25%: surge ceil(2.5) = 3, unavailable floor(2.5) = 2
    replicas=3,  25%/25%: surge ceil(0.75) = 1, unavailable floor(0.75) = 0
    replicas=1,  0%/0%:   both 0, so unavailable becomes 1 (the rollout could never move)

Stdlib only.
"""

from __future__ import annotations

import math
import re

IntOrStr = int | str

_ATOI = re.compile(r"[+-]?[0-9]+")  # strconv.Atoi: an optional sign, then digits only
_PERCENT = re.compile(r"[0-9]+%")  # validation.IsValidPercent


def int_value(value: IntOrStr) -> int:
    """IntOrString.IntValue: an int as is; a string through Atoi, 0 when it is not a number."""
    if isinstance(value, str):
        return int(value) if _ATOI.fullmatch(value) else 0
    return value


def percent_value(value: IntOrStr) -> int | None:
    """The N of a valid `N%` string (apps validation getPercentValue); None otherwise."""
    if isinstance(value, str) and _PERCENT.fullmatch(value):
        return int(value[:-1])
    return None


def int_or_percent(value: IntOrStr | None, total: int, round_up: bool) -> int:
    """GetScaledValueFromIntOrPercent: an int as is, `N%` scaled against `total`.

    Raises ValueError with apimachinery's messages for None, bools and strings that are not
    percentages (`"5"`, `"abc%"`).
    """
    if value is None:
        raise ValueError("nil value for IntOrString")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("invalid value for IntOrString: invalid type: neither int nor percentage")
    if isinstance(value, int):
        return value
    if not value.endswith("%"):
        raise ValueError("invalid value for IntOrString: invalid type: string is not a percentage")
    digits = value[:-1]
    if not _ATOI.fullmatch(digits):
        raise ValueError(
            f'invalid value for IntOrString: invalid value "{value}": '
            f'strconv.Atoi: parsing "{digits}": invalid syntax'
        )
    scaled = float(int(digits)) * float(total) / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def resolve_fenceposts(
    max_surge: IntOrStr | None, max_unavailable: IntOrStr | None, desired: int
) -> tuple[int, int]:
    """ResolveFenceposts: (surge, unavailable) for `desired` replicas; unset counts as 0.

    When both resolve to 0 (only reachable by rounding, validation forbids an explicit 0/0),
    unavailable becomes 1 so that a rolling update can always make progress.
    """
    surge = int_or_percent(0 if max_surge is None else max_surge, desired, True)
    unavailable = int_or_percent(0 if max_unavailable is None else max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable
