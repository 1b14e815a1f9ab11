"""Pods and pod templates: ValidatePodTemplateSpec, ValidatePodSpec and container checks.

Ported from `pkg/apis/core/validation/validation.go` (ValidatePodTemplateSpec,
validatePodMetadataAndSpec, ValidatePodSpec, validateContainers, validateContainerCommon,
validateContainerPorts, validatePullPolicy, validateRestartPolicy, validateDNSPolicy,
ValidatePodSpecificAnnotations, validateContainersOnlyForPod). Paths are relative to the pod
(`spec.containers[0].image`) or to a workload (`spec.template.spec.containers[0].image`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from controlplane.api.errors import duplicate, invalid_value, required, unsupported
from controlplane.api.validation.clean_specs import CleanSpecs, spec_text
from controlplane.api.validation.common import (
    Errors,
    annotation_errors,
    label_errors,
    meta_errors,
    name_is_dns_subdomain,
    obj_or_empty,
)
from controlplane.models.constants import POD_DELETION_COST_ANNOTATION, Kind, Obj
from controlplane.models.identifiers import dns1123_label_errors
from controlplane.models.simulation import annotation_problems


def pod_template_errors(template: Obj, path: str, *, with_spec: bool = True) -> Errors:
    """ValidatePodTemplateSpec: note that template labels are reported at `<path>.labels`.

    `with_spec=False` is ValidatePodTemplateSpecForStatefulSet, which checks the template's
    metadata only: a StatefulSet's pod spec is first validated when its pods are created.
    """
    meta = obj_or_empty(template.get("metadata"))
    errs = label_errors(meta.get("labels"), f"{path}.labels")
    errs += annotation_errors(meta.get("annotations"), f"{path}.annotations")
    errs += _pod_annotation_errors(meta.get("annotations"), f"{path}.annotations")
    if not with_spec:
        return errs
    return errs + _pod_spec_errors(obj_or_empty(template.get("spec")), f"{path}.spec")


def validate_pod(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    errs += _pod_annotation_errors(
        obj_or_empty(obj.get("metadata")).get("annotations"), "metadata.annotations"
    )
    spec = obj_or_empty(obj.get("spec"))
    key = (Kind.POD.value, spec_text(spec))
    if key in _VALID_SPECS:  # the spec's checks read the spec alone
        return errs
    spec_errs = _pod_spec_errors(spec, "spec")
    for name in ("containers", "initContainers"):  # validateContainersOnlyForPod
        for i, container in enumerate(spec.get(name) or []):
            image = obj_or_empty(container).get("image") or ""
            if image != image.strip():
                spec_errs.append(
                    invalid_value(
                        f"spec.{name}[{i}].image",
                        image,
                        "must not have leading or trailing whitespace",
                    )
                )
    if not spec_errs:
        _VALID_SPECS.add(key)
    return errs + spec_errs


_VALID_SPECS = CleanSpecs()  # the pod specs `validate_pod` found valid (`clean_specs`)


def _pod_annotation_errors(annotations: Mapping[str, str] | None, path: str) -> Errors:
    """ValidatePodSpecificAnnotations: the deletion cost must be a 32-bit integer; and mkctl's
    failure-simulation annotations must hold values the kubelet understands."""
    errs = _simulation_annotation_errors(annotations, path)
    cost = (annotations or {}).get(POD_DELETION_COST_ANNOTATION)
    if cost is None:
        return errs
    valid_start = cost[:1] == "-" or cost == "0" or "1" <= cost[:1] <= "9"
    if valid_start and re.fullmatch(r"-?[0-9]+", cost) and -(2**31) <= int(cost) < 2**31:
        return errs
    return [
        invalid_value(f"{path}[{POD_DELETION_COST_ANNOTATION}]", cost, "must be a 32bit integer"),
        *errs,
    ]


def _simulation_annotation_errors(annotations: Mapping[str, str] | None, path: str) -> Errors:
    errs: Errors = []
    for problem in annotation_problems(annotations):
        where = f"{path}[{problem.key}]"
        if problem.supported:
            errs.append(unsupported(where, problem.value, list(problem.supported)))
        else:
            errs.append(invalid_value(where, problem.value, problem.detail))
    return errs


def _pod_spec_errors(spec: Obj, path: str) -> Errors:
    """ValidatePodSpec: the parts a simulated pod uses, in upstream order."""
    containers = [obj_or_empty(c) for c in spec.get("containers") or []]
    errs: Errors = [] if containers else [required(f"{path}.containers")]
    names: set[str] = set()
    for i, container in enumerate(containers):
        errs += _container_errors(container, f"{path}.containers[{i}]")
        name = container.get("name") or ""
        if name in names:
            errs.append(duplicate(f"{path}.containers[{i}].name", name))
        names.add(name)
    for i, container in enumerate(obj_or_empty(c) for c in spec.get("initContainers") or []):
        errs += _container_errors(container, f"{path}.initContainers[{i}]")
        name = container.get("name") or ""
        if name in names:
            errs.append(duplicate(f"{path}.initContainers[{i}].name", name))
        elif name:
            names.add(name)
    errs += _enum(spec, "restartPolicy", path, ["Always", "OnFailure", "Never"])
    errs += _enum(
        spec, "dnsPolicy", path, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
    )
    errs += label_errors(spec.get("nodeSelector"), f"{path}.nodeSelector")
    for key, check in (
        ("serviceAccountName", name_is_dns_subdomain),
        ("nodeName", name_is_dns_subdomain),
    ):
        if value := spec.get(key):
            errs += [invalid_value(f"{path}.{key}", value, m) for m in check(value, False)]
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and not 1 <= deadline <= 2**31 - 1:
        errs.append(
            invalid_value(
                f"{path}.activeDeadlineSeconds",
                deadline,
                "must be between 1 and 2147483647, inclusive",
            )
        )
    for key in ("hostname", "subdomain"):
        if value := spec.get(key):
            errs += [invalid_value(f"{path}.{key}", value, m) for m in dns1123_label_errors(value)]
    return errs


def _enum(parent: Obj, key: str, path: str, supported: list[str]) -> Errors:
    value = parent.get(key) or ""
    if not value:
        return [required(f"{path}.{key}")]
    return [] if value in supported else [unsupported(f"{path}.{key}", value, supported)]


def _container_errors(container: Obj, path: str) -> Errors:
    """validateContainerCommon."""
    name = container.get("name") or ""
    errs = [required(f"{path}.name")] if not name else []
    errs += (
        [invalid_value(f"{path}.name", name, m) for m in dns1123_label_errors(name)] if name else []
    )
    if not container.get("image"):
        errs.append(required(f"{path}.image"))
    errs += _enum(container, "terminationMessagePolicy", path, ["File", "FallbackToLogsOnError"])
    errs += _port_errors([obj_or_empty(p) for p in container.get("ports") or []], f"{path}.ports")
    for i, env in enumerate(obj_or_empty(e) for e in container.get("env") or []):
        if not env.get("name"):
            errs.append(required(f"{path}.env[{i}].name"))
    return errs + _enum(container, "imagePullPolicy", path, ["Always", "IfNotPresent", "Never"])


def _port_errors(ports: list[Obj], path: str) -> Errors:
    """validateContainerPorts."""
    errs: Errors = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        at = f"{path}[{i}]"
        if name := port.get("name") or "":
            if msgs := port_name_errors(name):
                errs += [invalid_value(f"{at}.name", name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(f"{at}.name", name))
            names.add(name)
        number = port.get("containerPort") or 0
        if not number:
            errs.append(required(f"{at}.containerPort"))
        elif not 1 <= number <= 65535:
            errs.append(
                invalid_value(
                    f"{at}.containerPort", number, "must be between 1 and 65535, inclusive"
                )
            )
        host = port.get("hostPort") or 0
        if host and not 1 <= host <= 65535:
            errs.append(
                invalid_value(f"{at}.hostPort", host, "must be between 1 and 65535, inclusive")
            )
        errs += _enum(port, "protocol", at, ["SCTP", "TCP", "UDP"])
    return errs


def port_name_errors(name: str) -> list[str]:
    """IsValidPortName."""
    errs = ["must be no more than 15 characters"] if len(name) > 15 else []
    if not re.fullmatch(r"[-a-z0-9]+", name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return errs
