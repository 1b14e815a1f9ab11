"""Deployment and ReplicaSet: selector, template, strategy and number checks.

Ported from `pkg/apis/apps/validation/validation.go` (ValidateDeploymentSpec,
ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet, ValidateDeploymentStrategy,
ValidateRollingUpdateDeployment, ValidatePositiveIntOrPercent, IsNotMoreThan100Percent) and
`pkg/registry/apps/{deployment,replicaset}/strategy.go` (the selector is immutable in apps/v1).
StatefulSet and DaemonSet (in `sets`) reuse `workload_selector`, `immutable_selector`,
`template_for_replicas` and the IntOrString checks with their own kind word.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.errors import forbidden, invalid_value, required, unsupported
from controlplane.api.validation.common import (
    FIELD_IMMUTABLE,
    Errors,
    label_selector_errors,
    meta_errors,
    name_is_dns_subdomain,
    nonnegative,
    obj_or_empty,
    selector_json,
)
from controlplane.api.validation.pods import pod_template_errors
from controlplane.models import intstr, selectors
from controlplane.models.constants import Obj
from controlplane.models.identifiers import regex_error


def workload_selector(
    spec: Obj, kind_word: str, invalid_detail: str = "invalid label selector"
) -> tuple[Errors, selectors.Selector | None]:
    """spec.selector: required, valid, not empty; and the Selector (None if unusable).

    `invalid_detail` is what follows an unparsable selector (StatefulSets say nothing).
    """
    selector = spec.get("selector")
    errs: Errors = []
    if selector is None:
        errs.append(required("spec.selector"))
    else:
        errs += label_selector_errors(selector, "spec.selector")
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(
                invalid_value(
                    "spec.selector",
                    selector_json(selector),
                    f"empty selector is invalid for {kind_word}",
                )
            )
    try:
        return errs, selectors.from_label_selector(selector)
    except selectors.SelectorError:
        errs.append(invalid_value("spec.selector", selector_json(selector), invalid_detail))
        return errs, None


def immutable_selector(spec: Obj, old: Obj | None) -> Errors:
    """apps/v1 Deployment, ReplicaSet (and DaemonSet) strategies: spec.selector never changes."""
    if old is None:
        return []
    new_selector = selector_json(spec.get("selector"))
    if new_selector == selector_json(obj_or_empty(old.get("spec")).get("selector")):
        return []
    return [invalid_value("spec.selector", new_selector, FIELD_IMMUTABLE)]


# --- numbers ---


def int_or_percent_errors(value: intstr.IntOrStr, path: str) -> Errors:
    """ValidatePositiveIntOrPercent."""
    if isinstance(value, str):
        if intstr.percent_value(value) is None:
            detail = regex_error(
                "a valid percent string must be a numeric string followed by an ending '%'",
                "[0-9]+%",
                "1%",
                "93%",
            )
            return [invalid_value(path, value, detail)]
        return []
    return nonnegative(value, path)


def not_more_than_100_percent(value: intstr.IntOrStr, path: str) -> Errors:
    """IsNotMoreThan100Percent."""
    percent = intstr.percent_value(value)
    if percent is None or percent <= 100:
        return []
    return [invalid_value(path, value, "must not be greater than 100%")]


def int_or_percent_value(value: intstr.IntOrStr) -> int:
    """getIntOrPercentValue: N of a valid `N%`, else IntOrString.IntValue()."""
    percent = intstr.percent_value(value)
    return intstr.int_value(value) if percent is None else percent


# --- Deployment and ReplicaSet ---


def validate_deployment(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    errs += nonnegative(spec.get("replicas", 0), "spec.replicas")
    selector_errs, selector = workload_selector(spec, "deployment")
    errs += selector_errs
    if selector is not None:
        errs += template_for_replicas(obj_or_empty(spec.get("template")), selector, "ReplicaSet")
    errs += _strategy_errors(obj_or_empty(spec.get("strategy")))
    min_ready = spec.get("minReadySeconds") or 0
    errs += nonnegative(min_ready, "spec.minReadySeconds")
    errs += nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs += nonnegative(deadline, "spec.progressDeadlineSeconds")
        if deadline <= min_ready:
            errs.append(
                invalid_value(
                    "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"
                )
            )
    return errs + immutable_selector(spec, old)


def validate_replica_set(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    errs += nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs += nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    selector_errs, selector = workload_selector(spec, "deployment")  # sic: upstream's wording
    errs += selector_errs
    if selector is not None:
        errs += template_for_replicas(obj_or_empty(spec.get("template")), selector, "ReplicaSet")
    return errs + immutable_selector(spec, old)


def _strategy_errors(strategy: Obj) -> Errors:
    """ValidateDeploymentStrategy, ValidateRollingUpdateDeployment."""
    kind, rolling = strategy.get("type") or "", strategy.get("rollingUpdate")
    path = "spec.strategy"
    if kind == "Recreate":
        if rolling is not None:
            return [
                forbidden(
                    f"{path}.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                )
            ]
        return []
    if kind != "RollingUpdate":
        return [unsupported(path, _internal_strategy(strategy), ["Recreate", "RollingUpdate"])]
    if rolling is None:
        return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
    max_unavailable = rolling.get("maxUnavailable") or 0
    max_surge = rolling.get("maxSurge") or 0
    path += ".rollingUpdate"
    errs = int_or_percent_errors(max_unavailable, f"{path}.maxUnavailable")
    errs += int_or_percent_errors(max_surge, f"{path}.maxSurge")
    if int_or_percent_value(max_unavailable) == 0 and int_or_percent_value(max_surge) == 0:
        errs.append(
            invalid_value(
                f"{path}.maxUnavailable", max_unavailable, "may not be 0 when `maxSurge` is 0"
            )
        )
    return errs + not_more_than_100_percent(max_unavailable, f"{path}.maxUnavailable")


def _internal_strategy(strategy: Obj) -> dict[str, Any]:
    """The bad value of an unsupported strategy is the internal struct, which has no JSON tags:
    Go marshals it with its field names, `{"Type":"Blue","RollingUpdate":null}`."""
    rolling = strategy.get("rollingUpdate")
    return {
        "Type": strategy.get("type") or "",
        "RollingUpdate": None
        if rolling is None
        else {
            "MaxUnavailable": rolling.get("maxUnavailable") or 0,
            "MaxSurge": rolling.get("maxSurge") or 0,
        },
    }


def template_for_replicas(
    template: Obj, selector: selectors.Selector, owner: str, *, with_spec: bool = True
) -> Errors:
    """ValidatePodTemplateSpecForReplicaSet, shared by Deployment, ReplicaSet and DaemonSet;
    with `with_spec=False` the StatefulSet's version (template metadata only). `owner` is the
    kind named in the activeDeadlineSeconds message."""
    labels = obj_or_empty(template.get("metadata")).get("labels")
    errs: Errors = []
    if not selector.empty() and not selector.matches(labels or {}):
        errs.append(
            invalid_value(
                "spec.template.metadata.labels",
                labels,
                "`selector` does not match template `labels`",
            )
        )
    errs += pod_template_errors(template, "spec.template", with_spec=with_spec)
    pod_spec = obj_or_empty(template.get("spec"))
    restart = pod_spec.get("restartPolicy") or ""
    if restart != "Always":
        errs.append(unsupported("spec.template.spec.restartPolicy", restart, ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                f"activeDeadlineSeconds in {owner} is not Supported",
            )
        )
    return errs
