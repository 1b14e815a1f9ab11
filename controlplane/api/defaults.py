"""API defaults, applied in place before validation on every write.

Ported from `pkg/apis/apps/v1/defaults.go` (SetDefaults_Deployment, SetDefaults_ReplicaSet,
SetDefaults_StatefulSet, SetDefaults_DaemonSet), `pkg/apis/batch/v1/defaults.go`
(SetDefaults_Job, SetDefaults_CronJob) and
`pkg/apis/core/v1/defaults.go` (SetDefaults_PodSpec, SetDefaults_Pod, SetDefaults_Container,
SetDefaults_Probe, SetDefaults_HTTPGetAction, SetDefaults_Namespace, SetDefaults_NamespaceStatus,
SetDefaults_NodeStatus, SetDefaults_Secret, SetDefaults_PersistentVolume,
SetDefaults_PersistentVolumeClaim, SetDefaults_PersistentVolumeClaimSpec) and
`pkg/apis/storage/v1/defaults.go` (SetDefaults_StorageClass). A field counts as unset when it
is missing or null, and a string field also when it is "" (Go compares it with ""). Values of
the wrong type are left alone for validation to report; defaulting never raises.

What real pods get from admission plugins rather than from defaulting lives in `admit_pod`.
Pod-template defaults are applied when the workload is written, so a stored Deployment template
already carries them (and so does the pod-template-hash computed from it).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from typing import Any

from controlplane.api.crd.decoding import (
    default_custom_resource,
    default_custom_resource_definition,
)
from controlplane.api.services.defaults import default_service
from controlplane.models.constants import Kind, Obj

NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
DEFAULT_TOLERATION_SECONDS = 300
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


def apply_defaults(obj: Obj) -> None:
    """Fill in the defaults of `obj` (any served kind; other kinds are left untouched)."""
    _DEFAULTERS.get(str(obj.get("kind", "")), default_custom_resource)(obj)


def admit_pod(pod: Obj) -> None:
    """What admission adds to a real pod (never to templates); safe to call again.

    ServiceAccount: `serviceAccountName: default` (the projected token volume is not simulated).
    Priority: `priority: 0` and `preemptionPolicy: PreemptLowerPriority` with no PriorityClass.
    DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for 300 s, unless a
    toleration already covers that taint.
    """
    spec = _child(pod, "spec")
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec["serviceAccount"] = "default"
    if not spec.get("priorityClassName") and spec.get("priority") is None:
        spec["priority"] = 0
        _default(spec, "preemptionPolicy", "PreemptLowerPriority")
    tolerations = spec.get("tolerations")
    if tolerations is None:
        tolerations = spec["tolerations"] = []
    if not isinstance(tolerations, list):
        return
    for taint in (NOT_READY_TAINT, UNREACHABLE_TAINT):
        if not any(_tolerates_no_execute(t, taint) for t in tolerations if isinstance(t, dict)):
            tolerations.append(
                {
                    "key": taint,
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": DEFAULT_TOLERATION_SECONDS,
                }
            )


def _tolerates_no_execute(toleration: dict[str, Any], taint: str) -> bool:
    return toleration.get("key", "") in ("", taint) and toleration.get("effect", "") in (
        "",
        "NoExecute",
    )


# --- helpers ---


def _child(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """parent[key], created as {} when unset; a detached {} when it holds a non-object."""
    value = parent.get(key)
    if value is None:
        value = parent[key] = {}
    return value if isinstance(value, dict) else {}


def _default(parent: dict[str, Any], key: str, value: Any) -> None:
    current = parent.get(key)
    if current is None or (current == "" and isinstance(value, str)):
        parent[key] = value


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, dict))


# --- workloads ---


def _default_rolling_update(strategy: Obj, parameters: dict[str, Any]) -> None:
    """A Deployment's or DaemonSet's strategy: RollingUpdate unless another type is given,
    and a RollingUpdate's parameters defaulted (SetDefaults_Deployment,
    SetDefaults_DaemonSet in pkg/apis/apps/v1/defaults.go)."""
    _default(strategy, "type", "RollingUpdate")
    if strategy.get("type") == "RollingUpdate":
        rolling = _child(strategy, "rollingUpdate")
        for name, value in parameters.items():
            _default(rolling, name, value)


def _default_deployment(obj: Obj) -> None:
    spec = _child(obj, "spec")
    _default(spec, "replicas", 1)
    _default_rolling_update(_child(spec, "strategy"), {"maxUnavailable": "25%", "maxSurge": "25%"})
    _default(spec, "revisionHistoryLimit", 10)
    _default(spec, "progressDeadlineSeconds", 600)
    _default_template(spec)


def _default_replica_set(obj: Obj) -> None:
    spec = _child(obj, "spec")
    _default(spec, "replicas", 1)
    _default_template(spec)


def _default_stateful_set(obj: Obj) -> None:
    """A defaulted strategy type gets `rollingUpdate: {}`; any rollingUpdate gets partition 0.

    So `updateStrategy: {type: RollingUpdate}` written by hand stays without `rollingUpdate`,
    which `rollout status` then reports differently (pkg/apis/apps/v1/defaults.go
    SetDefaults_StatefulSet; kubectl's polymorphichelpers/rollout_status.go
    StatefulSetStatusViewer).
    """
    spec = _child(obj, "spec")
    _default(spec, "podManagementPolicy", "OrderedReady")
    strategy = _child(spec, "updateStrategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        _child(strategy, "rollingUpdate")
    rolling = strategy.get("rollingUpdate")
    if strategy.get("type") == "RollingUpdate" and isinstance(rolling, dict):
        _default(rolling, "partition", 0)
    retention = _child(spec, "persistentVolumeClaimRetentionPolicy")
    _default(retention, "whenDeleted", "Retain")
    _default(retention, "whenScaled", "Retain")
    _default(spec, "replicas", 1)
    _default(spec, "revisionHistoryLimit", 10)
    _default_template(spec)
    for claim in _dicts(spec.get("volumeClaimTemplates")):
        _default_persistent_volume_claim(claim)


def _default_daemon_set(obj: Obj) -> None:
    spec = _child(obj, "spec")
    _default_rolling_update(_child(spec, "updateStrategy"), {"maxUnavailable": 1, "maxSurge": 0})
    _default(spec, "revisionHistoryLimit", 10)
    _default_template(spec)


def _default_job(obj: Obj) -> None:
    """SetDefaults_Job; a Job without labels takes its template's (selector generation, on
    create, then adds the generated labels to both: see api/jobs.py)."""
    spec = _child(obj, "spec")
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    _default(spec, "parallelism", 1)
    _default(spec, "backoffLimit", 2**31 - 1 if spec.get("backoffLimitPerIndex") is not None else 6)
    template_labels = _child(_child(spec, "template"), "metadata").get("labels")
    meta = _child(obj, "metadata")
    if template_labels is not None and not meta.get("labels"):
        meta["labels"] = dict(template_labels)
    _default(spec, "completionMode", "NonIndexed")
    _default(spec, "suspend", False)
    failure_policy = spec.get("podFailurePolicy")
    _default(spec, "podReplacementPolicy", "Failed" if failure_policy else "TerminatingOrFailed")
    if isinstance(failure_policy, dict):
        for rule in _dicts(failure_policy.get("rules")):
            for pattern in _dicts(rule.get("onPodConditions")):
                _default(pattern, "status", "True")
    _default(spec, "manualSelector", False)
    _default_template(spec)


def _default_cron_job(obj: Obj) -> None:
    """SetDefaults_CronJob; the job template's pod template gets the pod defaults, but not the
    Job's own (those come when the controller creates each Job)."""
    spec = _child(obj, "spec")
    _default(spec, "concurrencyPolicy", "Allow")
    _default(spec, "suspend", False)
    _default(spec, "successfulJobsHistoryLimit", 3)
    _default(spec, "failedJobsHistoryLimit", 1)
    _default_template(_child(_child(spec, "jobTemplate"), "spec"))


def _default_template(workload_spec: dict[str, Any]) -> None:
    """A workload's template is a struct, not a pointer: it is always there to default."""
    _default_pod_spec(_child(_child(workload_spec, "template"), "spec"), is_pod=False)


# --- pods ---


def _default_pod(obj: Obj) -> None:
    spec = _child(obj, "spec")
    _default_pod_spec(spec, is_pod=True)
    _default(spec, "enableServiceLinks", True)
    for container in [*_dicts(spec.get("containers")), *_dicts(spec.get("initContainers"))]:
        _default_requests_from_limits(container)
        if spec.get("hostNetwork") is True:
            for port in _dicts(container.get("ports")):
                if not port.get("hostPort"):
                    port["hostPort"] = port.get("containerPort")
    admit_pod(obj)


def _default_pod_spec(spec: dict[str, Any], *, is_pod: bool) -> None:
    _default(spec, "dnsPolicy", "ClusterFirst")
    _default(spec, "restartPolicy", "Always")
    _default(spec, "securityContext", {})
    _default(spec, "terminationGracePeriodSeconds", 30)
    grace = spec["terminationGracePeriodSeconds"]
    if isinstance(grace, int) and grace < 0:
        # Since 1.27 (kubernetes#115606) a negative grace period is stored as 1: one that
        # stayed negative could never be deleted gracefully.
        spec["terminationGracePeriodSeconds"] = 1
    _default(spec, "schedulerName", "default-scheduler")
    # v1 conversion: the deprecated `serviceAccount` mirrors `serviceAccountName` (and fills it
    # when only the deprecated field was given).
    account = spec.get("serviceAccountName") or spec.get("serviceAccount")
    if account:
        spec["serviceAccountName"] = spec["serviceAccount"] = account
    for container in [*_dicts(spec.get("containers")), *_dicts(spec.get("initContainers"))]:
        _default_container(container)


def _default_container(container: dict[str, Any]) -> None:
    image = container.get("image")
    _default(container, "imagePullPolicy", pull_policy_for(image if isinstance(image, str) else ""))
    _default(container, "terminationMessagePath", "/dev/termination-log")
    _default(container, "terminationMessagePolicy", "File")
    _default(container, "resources", {})  # a struct in Go: always serialized, `resources: {}`
    for port in _dicts(container.get("ports")):
        _default(port, "protocol", "TCP")
    for probe_key in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(probe_key)
        if isinstance(probe, dict):
            for key, value in (
                ("timeoutSeconds", 1),
                ("periodSeconds", 10),
                ("successThreshold", 1),
                ("failureThreshold", 3),
            ):
                if not probe.get(key):
                    probe[key] = value
            http_get = probe.get("httpGet")
            if isinstance(http_get, dict):
                _default(http_get, "path", "/")
                _default(http_get, "scheme", "HTTP")


def _default_requests_from_limits(container: dict[str, Any]) -> None:
    """SetDefaults_Pod: a limit without a request makes the request equal (pods only)."""
    resources = container.get("resources")
    if not isinstance(resources, dict) or not isinstance(resources.get("limits"), dict):
        return
    requests = _child(resources, "requests")
    for name, quantity in resources["limits"].items():
        requests.setdefault(name, quantity)


def pull_policy_for(image: str) -> str:
    """`Always` when the tag is `latest` or there is neither tag nor digest; else IfNotPresent.

    Like kubernetes' parsers.ParseImageName, an unparsable reference has no tag, so it gets
    IfNotPresent: `nginx` and `nginx:latest` -> Always; `nginx:1.25`, `nginx@sha256:...`,
    `localhost:5000/nginx:1.25` -> IfNotPresent.
    """
    return "Always" if image_tag(image) == "latest" else "IfNotPresent"


# distribution/reference regexp.go: [domain/]path[:tag][@digest]
_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?"
)


def image_tag(image: str) -> str:
    """The tag ParseImageName finds: `latest` when there is neither tag nor digest, "" when
    there is only a digest or the reference does not parse."""
    match = _REFERENCE.fullmatch(image)
    if match is None:
        return ""
    if match["tag"]:
        return match["tag"]
    return "" if match["digest"] else "latest"


# --- cluster-scoped kinds ---


def _default_namespace(obj: Obj) -> None:
    meta = _child(obj, "metadata")
    name = meta.get("name")
    if isinstance(name, str) and name:
        _child(meta, "labels")[NAMESPACE_NAME_LABEL] = name
    # Namespace strategy PrepareForCreate. Only when unset: the namespace controller removes
    # the finalizer later and defaulting runs on updates too.
    _default(_child(obj, "spec"), "finalizers", ["kubernetes"])
    _default(_child(obj, "status"), "phase", "Active")


def _default_node(obj: Obj) -> None:
    status = obj.get("status")
    if isinstance(status, dict) and status.get("allocatable") is None:
        capacity = status.get("capacity")
        if isinstance(capacity, dict):
            status["allocatable"] = dict(capacity)


# --- configuration ---


def _default_secret(obj: Obj) -> None:
    """SetDefaults_Secret (`type: Opaque`), after pkg/apis/core/v1/conversion.go
    Convert_v1_Secret_To_core_Secret: `stringData` overwrites `data` key by key and is never
    stored (the internal type has no such field), so reads show it base64-encoded in `data`."""
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = obj["data"] if isinstance(obj.get("data"), dict) else {}
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()
        obj["data"] = data
    _default(obj, "type", "Opaque")


# --- storage ---


def _default_persistent_volume_claim(obj: Obj) -> None:
    """A claim (or a StatefulSet's claim template) is Pending and mounts a filesystem."""
    _default(_child(obj, "spec"), "volumeMode", "Filesystem")
    _default(_child(obj, "status"), "phase", "Pending")


def _default_persistent_volume(obj: Obj) -> None:
    """A volume someone made by hand is kept when its claim goes (Retain)."""
    spec = _child(obj, "spec")
    _default(spec, "persistentVolumeReclaimPolicy", "Retain")
    _default(spec, "volumeMode", "Filesystem")
    _default(_child(obj, "status"), "phase", "Pending")


def _default_storage_class(obj: Obj) -> None:
    _default(obj, "reclaimPolicy", "Delete")
    _default(obj, "volumeBindingMode", "Immediate")


_DEFAULTERS: dict[str, Callable[[Obj], None]] = {
    Kind.CUSTOM_RESOURCE_DEFINITION: default_custom_resource_definition,
    Kind.DEPLOYMENT: _default_deployment,
    Kind.REPLICA_SET: _default_replica_set,
    Kind.STATEFUL_SET: _default_stateful_set,
    Kind.DAEMON_SET: _default_daemon_set,
    Kind.POD: _default_pod,
    Kind.NAMESPACE: _default_namespace,
    Kind.NODE: _default_node,
    Kind.SECRET: _default_secret,
    Kind.JOB: _default_job,
    Kind.CRON_JOB: _default_cron_job,
    Kind.SERVICE: default_service,
    Kind.PERSISTENT_VOLUME_CLAIM: _default_persistent_volume_claim,
    Kind.PERSISTENT_VOLUME: _default_persistent_volume,
    Kind.STORAGE_CLASS: _default_storage_class,
}
