"""StatefulSet, DaemonSet and ControllerRevision validation.

Ported from `pkg/apis/apps/validation/validation.go` (ValidateStatefulSetSpec,
validateRollingUpdateStatefulSet, ValidateStatefulSetUpdate, ValidateDaemonSetSpec,
ValidateDaemonSetUpdateStrategy, ValidateRollingUpdateDaemonSet, ValidateControllerRevision,
ValidateControllerRevisionUpdate) and `pkg/registry/apps/daemonset/strategy.go` (the selector
is immutable in apps/v1), in upstream's order, with upstream's messages.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.errors import forbidden, invalid_value, required, unsupported
from controlplane.api.validation.common import (
    FIELD_IMMUTABLE,
    Errors,
    meta_errors,
    name_is_dns_label,
    name_is_dns_subdomain,
    nonnegative,
    obj_or_empty,
)
from controlplane.api.validation.workloads import (
    immutable_selector,
    int_or_percent_errors,
    int_or_percent_value,
    not_more_than_100_percent,
    template_for_replicas,
    workload_selector,
)
from controlplane.models.constants import Obj

# ValidateStatefulSetUpdate: the only spec fields an update may change.
STATEFULSET_MUTABLE = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)
STATEFULSET_SPEC_FORBIDDEN = (
    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
    "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
)


def _internal(value: Any, fields: dict[str, str]) -> dict[str, Any] | None:
    """An internal (untagged) Go struct as a bad value: its field names, zero values kept."""
    if not isinstance(value, dict):
        return None
    zero = {"Partition": 0}
    return {go: value.get(json, zero.get(go)) for go, json in fields.items()}


# --- StatefulSet ---


def validate_stateful_set(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_label, namespaced=True, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    errs += _stateful_set_spec_errors(spec)
    if old is not None and _semantic(_without_mutable(spec)) != _semantic(
        _without_mutable(obj_or_empty(old.get("spec")))
    ):
        errs.append(forbidden("spec", STATEFULSET_SPEC_FORBIDDEN))
    return errs


def _stateful_set_spec_errors(spec: Obj) -> Errors:
    errs: Errors = []
    policy = spec.get("podManagementPolicy") or ""
    if not policy:
        errs.append(required("spec.podManagementPolicy"))
    elif policy not in ("OrderedReady", "Parallel"):
        errs.append(
            invalid_value(
                "spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"
            )
        )
    errs += _stateful_set_strategy_errors(obj_or_empty(spec.get("updateStrategy")))
    retention = obj_or_empty(spec.get("persistentVolumeClaimRetentionPolicy"))
    for field in ("whenDeleted", "whenScaled"):
        value = retention.get(field) or ""
        if value not in ("Retain", "Delete"):
            path = f"spec.persistentVolumeClaimRetentionPolicy.{field}"
            errs.append(unsupported(path, value, ["Delete", "Retain"]))
    errs += nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs += nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    ordinals = spec.get("ordinals")
    if isinstance(ordinals, dict):
        errs += nonnegative(ordinals.get("start", 0), "spec.ordinals.start")
    selector_errs, selector = workload_selector(spec, "statefulset", invalid_detail="")
    errs += selector_errs
    if selector is not None:
        template = obj_or_empty(spec.get("template"))
        errs += template_for_replicas(template, selector, "StatefulSet", with_spec=False)
    return errs


def _stateful_set_strategy_errors(strategy: Obj) -> Errors:
    kind, rolling = strategy.get("type") or "", strategy.get("rollingUpdate")
    path = "spec.updateStrategy"
    fields = {"Partition": "partition", "MaxUnavailable": "maxUnavailable"}
    if not kind:
        return [required(path)]
    if kind == "OnDelete":
        if rolling is None:
            return []
        return [
            invalid_value(
                f"{path}.rollingUpdate",
                _internal(rolling, fields),
                "only allowed for updateStrategy 'RollingUpdate'",
            )
        ]
    if kind != "RollingUpdate":
        bad = {"Type": kind, "RollingUpdate": _internal(rolling, fields)}
        return [invalid_value(path, bad, "must be 'RollingUpdate' or 'OnDelete'")]
    if not isinstance(rolling, dict):
        return []
    path += ".rollingUpdate"
    errs = nonnegative(rolling.get("partition", 0), f"{path}.partition")
    max_unavailable = rolling.get("maxUnavailable")
    if max_unavailable is not None:
        errs += int_or_percent_errors(max_unavailable, f"{path}.maxUnavailable")
        if int_or_percent_value(max_unavailable) == 0:
            errs.append(invalid_value(f"{path}.maxUnavailable", max_unavailable, "cannot be 0"))
        errs += not_more_than_100_percent(max_unavailable, f"{path}.maxUnavailable")
    return errs


def _without_mutable(spec: Obj) -> Obj:
    return {k: v for k, v in spec.items() if k not in STATEFULSET_MUTABLE}


def _semantic(value: Any) -> Any:
    """apiequality.Semantic: unset, null, "" and empty collections are all Go's zero value."""
    if isinstance(value, dict):
        pruned = {k: _semantic(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", {}, [])}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


# --- DaemonSet ---


def validate_daemon_set(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    selector_errs, selector = workload_selector(spec, "daemonset")
    if spec.get("selector") is None:  # no Required error: a nil selector just matches nothing
        selector_errs = [e for e in selector_errs if e.path != "spec.selector"]
    errs += selector_errs
    if selector is not None:
        errs += template_for_replicas(obj_or_empty(spec.get("template")), selector, "DaemonSet")
    errs += nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    errs += _daemon_set_strategy_errors(obj_or_empty(spec.get("updateStrategy")))
    errs += nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")
    return errs + immutable_selector(spec, old)


def _daemon_set_strategy_errors(strategy: Obj) -> Errors:
    kind, rolling = strategy.get("type") or "", strategy.get("rollingUpdate")
    path = "spec.updateStrategy"
    if kind == "OnDelete":
        return []
    if kind != "RollingUpdate":
        fields = {"MaxUnavailable": "maxUnavailable", "MaxSurge": "maxSurge"}
        bad = {"Type": kind, "RollingUpdate": _internal(rolling, fields)}
        return [unsupported(path, bad, ["RollingUpdate", "OnDelete"])]
    if not isinstance(rolling, dict):
        return [required(f"{path}.rollingUpdate")]
    path += ".rollingUpdate"
    max_unavailable = rolling.get("maxUnavailable") or 0
    max_surge = rolling.get("maxSurge") or 0
    errs = int_or_percent_errors(max_unavailable, f"{path}.maxUnavailable")
    errs += int_or_percent_errors(max_surge, f"{path}.maxSurge")
    errs += not_more_than_100_percent(max_unavailable, f"{path}.maxUnavailable")
    errs += not_more_than_100_percent(max_surge, f"{path}.maxSurge")
    has_unavailable = int_or_percent_value(max_unavailable) != 0
    has_surge = int_or_percent_value(max_surge) != 0
    if has_unavailable and has_surge:
        errs.append(
            invalid_value(
                f"{path}.maxSurge", max_surge, "may not be set when maxUnavailable is non-zero"
            )
        )
    elif not has_unavailable and not has_surge:
        errs.append(required(f"{path}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    return errs


# --- ControllerRevision ---


def validate_controller_revision(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    if obj.get("data") is None:
        errs.append(required("data", "data is mandatory"))
    errs += nonnegative(obj.get("revision", 0), "revision")
    if old is not None and obj.get("data") != old.get("data"):
        errs.append(invalid_value("data", obj.get("data"), FIELD_IMMUTABLE))
    return errs
