"""Field types as the API server's JSON decoder sees them (k8s.io/api/{apps,core}/v1 types.go).

A YAML user can write `replicas: "3"` or `replicas: 1.5`. The API server never validates such a
body: its decoder refuses it with a 400, whose text `decode_error` reproduces (encoding/json's
UnmarshalTypeError inside apiserver's transformDecodeError). `validate` also refuses mistyped
fields, with the OpenAPI schema wording a CRD would get, so nothing mistyped is ever stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from controlplane.api.errors import FieldError, invalid_value
from controlplane.models.constants import Kind, Obj


@dataclass(frozen=True)
class _T:
    kind: str  # string | int | bool | intstr | map | list | struct
    go: str  # the Go type named in decoder errors: int32, v1.RestartPolicy, []v1.Container
    fields: Mapping[str, _T] = field(default_factory=dict)
    item: _T | None = None


def _s(go: str = "string") -> _T:
    return _T("string", go)


def _list(item: _T) -> _T:
    return _T("list", "[]" + item.go, item=item)


def _struct(go: str, **fields: _T) -> _T:
    return _T("struct", go, fields)


# fmt: off
_I32, _I64, _BOOL = _T("int", "int32"), _T("int", "int64"), _T("bool", "bool")
_INTSTR = _T("intstr", "int32")  # IntOrString.UnmarshalJSON decodes a number into an int32
_MAP = _T("map", "map[string]string")
_BYTES_MAP = _T("map", "map[string][]uint8", item=_s("[]uint8"))  # base64 text, see base64_error
_STRING = _s()
_INT_RANGE = {"int32": 2**31, "int64": 2**63}
_OPENAPI = {"string": "string", "int": "integer", "bool": "boolean", "intstr": "integer or string",
            "map": "object", "struct": "object", "list": "array"}

_META = _struct(
    "v1.ObjectMeta", name=_s(), generateName=_s(), namespace=_s(), uid=_s("types.UID"),
    resourceVersion=_s(), generation=_I64, labels=_MAP, annotations=_MAP, finalizers=_list(_s()),
    ownerReferences=_list(_struct(
        "v1.OwnerReference", apiVersion=_s(), kind=_s(), name=_s(), uid=_s("types.UID"),
        controller=_BOOL, blockOwnerDeletion=_BOOL,
    )),
)
# What kubectl decodes of every document before anything else (its metadataOnlyObject).
_METADATA_ONLY = _struct("v1.metadataOnlyObject", metadata=_META)
_SELECTOR = _struct(
    "v1.LabelSelector", matchLabels=_MAP,
    matchExpressions=_list(_struct(
        "v1.LabelSelectorRequirement", key=_s(), operator=_s("v1.LabelSelectorOperator"),
        values=_list(_s()),
    )),
)
_CONTAINER = _struct(
    "v1.Container", name=_s(), image=_s(), command=_list(_s()), args=_list(_s()), workingDir=_s(),
    ports=_list(_struct(
        "v1.ContainerPort", name=_s(), hostPort=_I32, containerPort=_I32,
        protocol=_s("v1.Protocol"), hostIP=_s(),
    )),
    env=_list(_struct("v1.EnvVar", name=_s(), value=_s())),
    terminationMessagePath=_s(), terminationMessagePolicy=_s("v1.TerminationMessagePolicy"),
    imagePullPolicy=_s("v1.PullPolicy"), stdin=_BOOL, stdinOnce=_BOOL, tty=_BOOL,
)
_POD_SPEC = _struct(
    "v1.PodSpec", containers=_list(_CONTAINER), initContainers=_list(_CONTAINER),
    restartPolicy=_s("v1.RestartPolicy"), terminationGracePeriodSeconds=_I64,
    activeDeadlineSeconds=_I64, dnsPolicy=_s("v1.DNSPolicy"), nodeSelector=_MAP,
    serviceAccountName=_s(), serviceAccount=_s(), nodeName=_s(), hostNetwork=_BOOL, hostname=_s(),
    subdomain=_s(), schedulerName=_s(), priorityClassName=_s(), priority=_I32,
    enableServiceLinks=_BOOL,
    tolerations=_list(_struct(
        "v1.Toleration", key=_s(), operator=_s("v1.TolerationOperator"), value=_s(),
        effect=_s("v1.TaintEffect"), tolerationSeconds=_I64,
    )),
)
_TEMPLATE = _struct("v1.PodTemplateSpec", metadata=_META, spec=_POD_SPEC)
_JOB_SPEC = _struct(
    "v1.JobSpec", parallelism=_I32, completions=_I32, activeDeadlineSeconds=_I64,
    backoffLimit=_I32, backoffLimitPerIndex=_I32, maxFailedIndexes=_I32, selector=_SELECTOR,
    manualSelector=_BOOL, template=_TEMPLATE, ttlSecondsAfterFinished=_I32,
    completionMode=_s("v1.CompletionMode"), suspend=_BOOL,
    podReplacementPolicy=_s("v1.PodReplacementPolicy"), managedBy=_s(),
)
_SCHEMAS: dict[str, _T] = {
    Kind.DEPLOYMENT: _struct("v1.Deployment", metadata=_META, spec=_struct(
        "v1.DeploymentSpec", replicas=_I32, selector=_SELECTOR, template=_TEMPLATE,
        strategy=_struct(
            "v1.DeploymentStrategy", type=_s("v1.DeploymentStrategyType"),
            rollingUpdate=_struct(
                "v1.RollingUpdateDeployment", maxUnavailable=_INTSTR, maxSurge=_INTSTR,
            ),
        ),
        minReadySeconds=_I32, revisionHistoryLimit=_I32, paused=_BOOL, progressDeadlineSeconds=_I32,
    )),
    Kind.REPLICA_SET: _struct("v1.ReplicaSet", metadata=_META, spec=_struct(
        "v1.ReplicaSetSpec", replicas=_I32, minReadySeconds=_I32, selector=_SELECTOR,
        template=_TEMPLATE,
    )),
    Kind.STATEFUL_SET: _struct("v1.StatefulSet", metadata=_META, spec=_struct(
        "v1.StatefulSetSpec", replicas=_I32, selector=_SELECTOR, template=_TEMPLATE,
        serviceName=_s(), podManagementPolicy=_s("v1.PodManagementPolicyType"),
        updateStrategy=_struct(
            "v1.StatefulSetUpdateStrategy", type=_s("v1.StatefulSetUpdateStrategyType"),
            rollingUpdate=_struct(
                "v1.RollingUpdateStatefulSetStrategy", partition=_I32, maxUnavailable=_INTSTR,
            ),
        ),
        revisionHistoryLimit=_I32, minReadySeconds=_I32,
        ordinals=_struct("v1.StatefulSetOrdinals", start=_I32),
    )),
    Kind.DAEMON_SET: _struct("v1.DaemonSet", metadata=_META, spec=_struct(
        "v1.DaemonSetSpec", selector=_SELECTOR, template=_TEMPLATE,
        updateStrategy=_struct(
            "v1.DaemonSetUpdateStrategy", type=_s("v1.DaemonSetUpdateStrategyType"),
            rollingUpdate=_struct(
                "v1.RollingUpdateDaemonSet", maxUnavailable=_INTSTR, maxSurge=_INTSTR,
            ),
        ),
        minReadySeconds=_I32, revisionHistoryLimit=_I32,
    )),
    Kind.CONTROLLER_REVISION: _struct("v1.ControllerRevision", metadata=_META, revision=_I64),
    Kind.POD: _struct("v1.Pod", metadata=_META, spec=_POD_SPEC),
    Kind.NAMESPACE: _struct("v1.Namespace", metadata=_META, spec=_struct(
        "v1.NamespaceSpec", finalizers=_list(_s("v1.FinalizerName")),
    )),
    Kind.NODE: _struct("v1.Node", metadata=_META, spec=_struct(
        "v1.NodeSpec", podCIDR=_s(), providerID=_s(), unschedulable=_BOOL,
        taints=_list(_struct(
            "v1.Taint", key=_s(), value=_s(), effect=_s("v1.TaintEffect"),
        )),
    )),
    Kind.EVENT: _struct(
        "v1.Event", metadata=_META, reason=_s(), message=_s(), type=_s(), count=_I32,
        involvedObject=_struct(
            "v1.ObjectReference", kind=_s(), namespace=_s(), name=_s(), uid=_s("types.UID"),
            apiVersion=_s(), resourceVersion=_s(), fieldPath=_s(),
        ),
    ),
    Kind.CONFIG_MAP: _struct(
        "v1.ConfigMap", metadata=_META, data=_MAP, binaryData=_BYTES_MAP, immutable=_BOOL,
    ),
    Kind.JOB: _struct("v1.Job", metadata=_META, spec=_JOB_SPEC),
    Kind.CRON_JOB: _struct("v1.CronJob", metadata=_META, spec=_struct(
        "v1.CronJobSpec", schedule=_s(), timeZone=_s(), startingDeadlineSeconds=_I64,
        concurrencyPolicy=_s("v1.ConcurrencyPolicy"), suspend=_BOOL,
        successfulJobsHistoryLimit=_I32, failedJobsHistoryLimit=_I32,
        jobTemplate=_struct("v1.JobTemplateSpec", metadata=_META, spec=_JOB_SPEC),
    )),
    Kind.SECRET: _struct(
        "v1.Secret", metadata=_META, data=_BYTES_MAP, stringData=_MAP,
        type=_s("v1.SecretType"), immutable=_BOOL,
    ),
    Kind.LEASE: _struct("v1.Lease", metadata=_META, spec=_struct(
        "v1.LeaseSpec", holderIdentity=_s(), leaseDurationSeconds=_I32, leaseTransitions=_I32,
        strategy=_s("v1.CoordinatedLeaseStrategy"), preferredHolder=_s(),
    )),
}
# fmt: on


@dataclass(frozen=True)
class _Mismatch:
    path: str  # spec.template.spec.containers[0].image
    go_struct: str  # the innermost Go struct holding the field: Container
    go_field: str  # the JSON field path without indexes: spec.template.spec.containers.image
    value: Any
    expected: _T

    def go_error(self) -> str:
        """encoding/json's UnmarshalTypeError text."""
        value = self.value
        if isinstance(value, bool):
            what = "bool"
        elif isinstance(value, int | float):
            what = (
                "number " + _json_number(value)
                if self.expected.kind in ("int", "intstr")
                else "number"
            )
        else:
            what = (
                "string"
                if isinstance(value, str)
                else "array"
                if isinstance(value, list)
                else "object"
            )
        return (
            f"json: cannot unmarshal {what} into Go struct field "
            f"{self.go_struct}.{self.go_field} of type {self.expected.go}"
        )

    def field_error(self) -> FieldError:
        """The OpenAPI schema wording (what a CRD gets): `... in body must be of type integer`."""
        value = self.value
        if isinstance(value, bool):
            got = "boolean"
        elif isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            got = "integer"
        elif isinstance(value, float):
            got = "number"
        else:
            got = (
                "string"
                if isinstance(value, str)
                else "array"
                if isinstance(value, list)
                else "object"
            )
        want = _OPENAPI[self.expected.kind]
        return invalid_value(self.path, got, f'{self.path} in body must be of type {want}: "{got}"')


def _json_number(value: float) -> str:
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e21):
        return str(int(value))
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", repr(value))


def _fits(value: Any, expected: _T) -> bool:
    kind = expected.kind
    if kind == "string" or (kind == "intstr" and isinstance(value, str)):
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("int", "intstr"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        limit = _INT_RANGE[expected.go]
        return float(value).is_integer() and -limit <= value < limit
    return isinstance(value, list if kind == "list" else dict)


def base64_error(obj: Obj) -> str | None:
    """encoding/json decodes a `[]byte` from base64 text (StdEncoding): the CorruptInputError
    of the first bad value of a Secret's `data` or a ConfigMap's `binaryData`, or None."""
    byte_fields = {Kind.SECRET.value: "data", Kind.CONFIG_MAP.value: "binaryData"}
    field = byte_fields.get(str(obj.get("kind", "")))
    values = obj.get(field) if field else None
    if not isinstance(values, dict):
        return None
    for key in sorted(values):
        value = values[key]
        offset = corrupt_base64_offset(value) if isinstance(value, str) else None
        if offset is not None:
            return f"illegal base64 data at input byte {offset}"
    return None


_BASE64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def corrupt_base64_offset(text: str) -> int | None:
    """Where Go's base64.StdEncoding.Decode fails on `text` (encoding/base64/base64.go,
    decodeQuantum: CR and LF are skipped, `=` pads the last quantum only), or None."""
    i, n = 0, len(text)
    while True:
        j = 0
        while j < 4:
            if i == n:
                return None if j == 0 else i - j
            ch = text[i]
            i += 1
            if ch in _BASE64_ALPHABET:
                j += 1
                continue
            if ch in "\r\n":
                continue
            if ch != "=" or j < 2:
                return i - 1
            if j == 2:  # `xx==`: a second `=` must follow, past any newlines
                while i < n and text[i] in "\r\n":
                    i += 1
                if i == n:
                    return n
                if text[i] != "=":
                    return i - 1
                i += 1
            while i < n and text[i] in "\r\n":
                i += 1
            return i if i < n else None


def metadata_decode_error(obj: Obj) -> str | None:
    """encoding/json's error for metadata of the wrong shape, as kubectl's client-side decode
    of a manifest reports it (`unable to decode "FILE": <this>`), or None."""
    found: list[_Mismatch] = []
    _walk({"metadata": obj.get("metadata")}, _METADATA_ONLY, "", "", "", found, True)
    return found[0].go_error() if found else None


def mistyped(obj: Obj, first_only: bool = False) -> list[_Mismatch]:
    schema = _SCHEMAS.get(str(obj.get("kind", "")))
    found: list[_Mismatch] = []
    if schema is not None and not _decodes(obj, schema):
        _walk(obj, schema, "", "", "", found, first_only)
    return found


def _decodes(value: Any, expected: _T) -> bool:
    """Does every field fit its type? `_walk`'s check without its paths and order: every
    write of a well-typed object (nearly all of them) answers here, and only a body that
    fails is walked again to say where."""
    if value is None:
        return True
    if not _fits(value, expected):
        return False
    kind = expected.kind
    if kind == "struct":
        fields = expected.fields
        return all(_decodes(child, fields[key]) for key, child in value.items() if key in fields)
    if kind == "list":
        item = expected.item
        return item is None or all(_decodes(child, item) for child in value)
    if kind == "map":
        item = expected.item or _STRING
        return all(_decodes(child, item) for child in value.values())
    return True


def _walk(
    value: Any,
    expected: _T,
    path: str,
    go_struct: str,
    go_field: str,
    found: list[_Mismatch],
    first: bool,
) -> None:
    """Depth first in sorted key order (kubectl sends JSON with sorted keys); null is unset."""
    if value is None or (first and found):
        return
    if not _fits(value, expected):
        found.append(_Mismatch(path, go_struct, go_field, value, expected))
    elif expected.kind == "struct":
        name = expected.go.rpartition(".")[2]
        for key in sorted(k for k in value if k in expected.fields):
            sub_path, sub_field = f"{path}.{key}".lstrip("."), f"{go_field}.{key}".lstrip(".")
            _walk(value[key], expected.fields[key], sub_path, name, sub_field, found, first)
    elif expected.kind == "list" and expected.item is not None:
        for i, item in enumerate(value):
            _walk(item, expected.item, f"{path}[{i}]", go_struct, go_field, found, first)
    elif expected.kind == "map":
        for key in sorted(value):
            item = expected.item or _STRING
            _walk(value[key], item, f"{path}.{key}", go_struct, go_field, found, first)
