"""Job and CronJob: generated selector, numbers, restart policy, schedule and immutability.

Ported from `pkg/apis/batch/validation/validation.go` (validateGeneratedSelector, ValidateJob,
ValidateJobSpec, validateJobSpec, ValidateJobSpecUpdate, validatePodTemplateUpdate,
ValidateCronJobCreate, validateCronJobSpec, validateConcurrencyPolicy, validateScheduleFormat,
validateTimeZone, ValidateJobTemplateSpec). A Job's pod template may not restart its containers
(`restartPolicy` OnFailure or Never), and nearly all of its spec is fixed once created: the
template, the selector, completions and completionMode.
"""

from __future__ import annotations

import re
from typing import Any

from controlplane.api.errors import invalid_value, required, unsupported
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
from controlplane.models import cron, selectors
from controlplane.models.constants import (
    CONTROLLER_UID_LABEL,
    JOB_NAME_LABEL,
    LEGACY_CONTROLLER_UID_LABEL,
    LEGACY_JOB_NAME_LABEL,
    Obj,
)

_RESTART_POLICIES = ["OnFailure", "Never"]
_COMPLETION_MODES = ["NonIndexed", "Indexed"]
_CONCURRENCY_POLICIES = ["Allow", "Forbid", "Replace"]
_REPLACEMENT_POLICIES = ["Failed", "TerminatingOrFailed"]
# CronJob names leave room for the controller's `-<minutes since epoch>` suffix in a Job name.
_CRONJOB_NAME_MAX = 63 - 11


def validate_job(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    errs += _generated_selector_errors(obj, spec)
    errs += _job_spec_errors(spec, "spec")
    errs += _selector_errors(spec)
    if old is not None:
        errs += _job_update_errors(spec, obj_or_empty(old.get("spec")))
    return errs


def _generated_selector_errors(job: Obj, spec: Obj) -> Errors:
    """validateGeneratedSelector: the template carries the labels selector generation put
    there, and the selector matches them."""
    if spec.get("manualSelector") is True or spec.get("selector") is None:
        return []
    meta = obj_or_empty(job.get("metadata"))
    uid, name = str(meta.get("uid") or ""), str(meta.get("name") or "")
    labels = obj_or_empty(
        obj_or_empty(obj_or_empty(spec.get("template")).get("metadata")).get("labels")
    )
    errs: Errors = [] if uid else [required("metadata.uid")]
    expected = {
        LEGACY_CONTROLLER_UID_LABEL: uid,
        LEGACY_JOB_NAME_LABEL: name,
        CONTROLLER_UID_LABEL: uid,
        JOB_NAME_LABEL: name,
    }
    for key, value in expected.items():  # ValidateHasLabel, in upstream's order
        path = f"spec.template.metadata.labels[{key}]"
        if key not in labels:
            errs.append(required(path, value))
        elif labels[key] != value:
            errs.append(invalid_value(path, labels, f"must be '{value}'"))
    try:
        selector = selectors.from_label_selector(spec["selector"])
    except selectors.SelectorError:
        return errs
    if not selector.matches(expected):
        errs.append(
            invalid_value(
                "spec.selector", selector_json(spec["selector"]), "`selector` not auto-generated"
            )
        )
    return errs


def _selector_errors(spec: Obj) -> Errors:
    """ValidateJobSpec's selector part: required, valid, matching the template's labels."""
    selector = spec.get("selector")
    if selector is None:
        return [required("spec.selector")]
    errs = label_selector_errors(selector, "spec.selector")
    try:
        parsed = selectors.from_label_selector(selector)
    except selectors.SelectorError:
        return errs
    labels = obj_or_empty(obj_or_empty(spec.get("template")).get("metadata")).get("labels")
    if not parsed.matches(labels or {}):
        errs.append(
            invalid_value(
                "spec.template.metadata.labels",
                labels,
                "`selector` does not match template `labels`",
            )
        )
    return errs


def _job_spec_errors(spec: Obj, path: str) -> Errors:
    """validateJobSpec: the numbers, the modes and the pod template."""
    errs: Errors = []
    for key in (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ):
        errs += nonnegative(spec.get(key), f"{path}.{key}")
    mode = spec.get("completionMode")
    if mode is not None and mode not in _COMPLETION_MODES:
        errs.append(unsupported(f"{path}.completionMode", mode, _COMPLETION_MODES))
    if mode == "Indexed" and spec.get("completions") is None:
        errs.append(required(f"{path}.completions", "when completion mode is Indexed"))
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None and replacement not in _REPLACEMENT_POLICIES:
        errs.append(unsupported(f"{path}.podReplacementPolicy", replacement, _REPLACEMENT_POLICIES))
    template_path = f"{path}.template"
    template = obj_or_empty(spec.get("template"))
    errs += pod_template_errors(template, template_path)
    restart = obj_or_empty(template.get("spec")).get("restartPolicy") or ""
    if restart in ("Always", ""):
        errs.append(
            required(f"{template_path}.spec.restartPolicy", 'valid values: "OnFailure", "Never"')
        )
    elif restart not in _RESTART_POLICIES:
        errs.append(unsupported(f"{template_path}.spec.restartPolicy", restart, _RESTART_POLICIES))
    return errs


def _job_update_errors(spec: Obj, old: Obj) -> Errors:
    """ValidateJobSpecUpdate: what may not change once the Job exists."""
    errs: Errors = []
    if spec.get("completions") != old.get("completions"):
        errs.append(invalid_value("spec.completions", spec.get("completions"), FIELD_IMMUTABLE))
    if selector_json(spec.get("selector")) != selector_json(old.get("selector")):
        errs.append(
            invalid_value("spec.selector", selector_json(spec.get("selector")), FIELD_IMMUTABLE)
        )
    if spec.get("template") != old.get("template"):
        errs.append(invalid_value("spec.template", spec.get("template"), FIELD_IMMUTABLE))
    for key in ("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy"):
        if spec.get(key) != old.get(key):
            errs.append(invalid_value(f"spec.{key}", spec.get(key), FIELD_IMMUTABLE))
    return errs


# --- CronJob ---


def validate_cron_job(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    old_spec = obj_or_empty(old.get("spec")) if old is not None else None
    errs += _cron_job_spec_errors(spec, old_spec)
    name = str(obj_or_empty(obj.get("metadata")).get("name") or "")
    if old is None and len(name) > _CRONJOB_NAME_MAX:
        errs.append(invalid_value("metadata.name", name, "must be no more than 52 characters"))
    return errs


def _cron_job_spec_errors(spec: Obj, old: Obj | None) -> Errors:
    errs: Errors = []
    schedule = spec.get("schedule") or ""
    if not schedule:
        errs.append(required("spec.schedule"))
    else:
        errs += schedule_errors(schedule, spec.get("timeZone"), old)
    errs += nonnegative(spec.get("startingDeadlineSeconds"), "spec.startingDeadlineSeconds")
    if old is None or old.get("timeZone") != spec.get("timeZone"):
        errs += _time_zone_errors(spec.get("timeZone"))
    policy = spec.get("concurrencyPolicy") or ""
    if not policy:
        errs.append(required("spec.concurrencyPolicy"))
    elif policy not in _CONCURRENCY_POLICIES:
        errs.append(unsupported("spec.concurrencyPolicy", policy, _CONCURRENCY_POLICIES))
    errs += _job_template_errors(obj_or_empty(spec.get("jobTemplate")))
    for key in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        errs += nonnegative(spec.get(key), f"spec.{key}")
    return errs


def schedule_errors(schedule: str, time_zone: Any, old: Obj | None) -> Errors:
    """validateScheduleFormat: parses as robfig's ParseStandard, and names no zone (a TZ= an
    existing CronJob already had may stay, unless the timeZone field is also set)."""
    errs: Errors = []
    try:
        cron.parse_standard(schedule)
    except cron.CronError as exc:
        errs.append(invalid_value("spec.schedule", schedule, str(exc)))
    allow_tz = old is not None and "TZ" in str(old.get("schedule") or "")
    if allow_tz and "TZ" in schedule and time_zone is not None:
        errs.append(
            invalid_value(
                "spec.schedule",
                schedule,
                "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            )
        )
    elif not allow_tz and "TZ" in schedule:
        errs.append(
            invalid_value(
                "spec.schedule",
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            )
        )
    return errs


def _time_zone_errors(zone: Any) -> Errors:
    """validateTimeZone: an IANA name the zone database knows, never `Local`."""
    if zone is None:
        return []
    path = "spec.timeZone"
    if zone == "":
        return [invalid_value(path, zone, "timeZone must be nil or non-empty string")]
    for part in str(zone).split("/"):
        if (
            part in (".", "..")
            or part.startswith("-")
            or not re.fullmatch(r"[A-Za-z.\-_0-9+]{1,14}", part)
        ):
            return [invalid_value(path, zone, f"unknown time zone {zone}")]
    if str(zone).lower() == "local":
        return [
            invalid_value(
                path,
                zone,
                "timeZone must be an explicit time zone as defined in "
                "https://www.iana.org/time-zones",
            )
        ]
    try:
        cron.load_zone(str(zone))
    except cron.CronError as exc:
        return [invalid_value(path, zone, str(exc))]
    return []


def _job_template_errors(template: Obj) -> Errors:
    """ValidateJobTemplateSpec: a Job spec whose selector the API will generate."""
    spec = obj_or_empty(template.get("spec"))
    errs = _job_spec_errors(spec, "spec.jobTemplate.spec")
    if spec.get("selector") is not None:
        errs.append(
            invalid_value(
                "spec.jobTemplate.spec.selector",
                selector_json(spec["selector"]),
                "`selector` will be auto-generated",
            )
        )
    if spec.get("manualSelector") is True:
        errs.append(unsupported("spec.jobTemplate.spec.manualSelector", True, ["nil", "false"]))
    return errs
