"""Validation with Kubernetes' own field paths and messages.

`validate(obj, old)` returns every problem, in the order the API server finds them, after
`apply_defaults` and after name generation (as upstream: a non-defaulted object is invalid).
Ported from `pkg/apis/apps/validation/validation.go` (ValidateDeploymentSpec,
ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet, ValidateDeploymentStrategy,
ValidateRollingUpdateDeployment), `pkg/apis/core/validation/validation.go` (ValidatePodSpec,
validateContainerCommon, validateContainerPorts, legacyValidateEvent),
`pkg/registry/apps/{deployment,replicaset}/strategy.go` (immutable selector on update) and
apimachinery `pkg/api/validation/objectmeta.go`, `pkg/apis/meta/v1/validation/validation.go`.

Types come first: a mistyped field (`replicas: "3"`) is refused before anything else, see
`decoding`. Modules: `common` (names, metadata, labels, selectors), `workloads` (Deployment,
ReplicaSet), `sets` (StatefulSet, DaemonSet, ControllerRevision), `pods` (pods and pod
templates), `config` (ConfigMap, Secret), `batch` (Job, CronJob), `services` (Service,
Endpoints, EndpointSlice), `storage` (PersistentVolumeClaim, PersistentVolume, StorageClass),
`coordination` (Lease), `decoding` (field types); CustomResourceDefinitions and custom
resources in `api/crd/`.

Adding a kind: write `validate_<kind>` from the shared pieces (`meta_errors`,
`workload_selector`, `template_for_replicas`, `immutable_selector`), add its type to
`decoding._SCHEMAS`, and register it in `_VALIDATORS` below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from controlplane.api.crd.decoding import unknown_custom_fields
from controlplane.api.crd.validation import (
    validate_custom_resource,
    validate_custom_resource_definition,
)
from controlplane.api.errors import FieldError, invalid_value
from controlplane.api.registry import is_custom
from controlplane.api.validation.batch import validate_cron_job, validate_job
from controlplane.api.validation.clean_specs import CleanSpecs, spec_text
from controlplane.api.validation.common import (
    Errors,
    meta_errors,
    name_is_dns_label,
    name_is_dns_subdomain,
    obj_or_empty,
    path_segment_name,
)
from controlplane.api.validation.config import validate_config_map, validate_secret
from controlplane.api.validation.coordination import validate_lease
from controlplane.api.validation.decoding import base64_error, mistyped
from controlplane.api.validation.known_fields import unknown_fields
from controlplane.api.validation.pods import validate_pod
from controlplane.api.validation.services import (
    validate_endpoint_slice,
    validate_endpoints,
    validate_service,
)
from controlplane.api.validation.sets import (
    validate_controller_revision,
    validate_daemon_set,
    validate_stateful_set,
)
from controlplane.api.validation.storage import (
    validate_persistent_volume,
    validate_persistent_volume_claim,
    validate_storage_class,
)
from controlplane.api.validation.workloads import validate_deployment, validate_replica_set
from controlplane.models.constants import Kind, Obj
from controlplane.models.identifiers import dns1123_subdomain_errors

__all__ = ["decode_error", "strict_decoding_errors", "validate"]


def validate(obj: Obj, old: Obj | None = None, *, decoded: bool = False) -> list[FieldError]:
    """Every validation error of `obj` (an update when `old` is given); [] when valid.

    `decoded`: the write's body passed `decode_error` before defaulting, so its fields are
    of their types already, as upstream's are once decoded into typed structs, and are not
    checked twice (defaulting and the strategies write values of their fields' types)."""
    wrong_types = [] if decoded else mistyped(obj)
    if wrong_types:
        return [m.field_error() for m in wrong_types]
    validator = _VALIDATORS.get(str(obj.get("kind", "")), validate_custom_resource)
    return validator(obj, old)


def decode_error(obj: Obj, duplicates: Sequence[str] = ()) -> str | None:
    """`_decode_error`, which skips a built-in kind's `spec` when an equal one was found
    clean before (`clean_specs`): each field is checked against its own schema alone."""
    kind = str(obj.get("kind", ""))
    spec = obj.get("spec")
    if not isinstance(spec, dict) or is_custom(kind):
        return _decode_error(obj, duplicates)
    key = (kind, spec_text(spec))
    if key in _DECODED_SPECS:
        return _decode_error({k: v for k, v in obj.items() if k != "spec"}, duplicates)
    problem = _decode_error(obj, duplicates)
    if problem is None:
        _DECODED_SPECS.add(key)
    return problem


_DECODED_SPECS = CleanSpecs()


def _decode_error(obj: Obj, duplicates: Sequence[str] = ()) -> str | None:
    """The API server's 400 for a body its JSON decoder refuses, or None.

    `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal
    string into Go struct field DeploymentSpec.spec.replicas of type int32`. Go reports only
    the first problem, in the order of kubectl's JSON (keys sorted). Call before defaulting.
    Then, as kubectl asks for `fieldValidation=Strict`, every unknown field at once:
    `... strict decoding error: unknown field "spec.replicaz", unknown field "spec.foo"`,
    after the `duplicate field "metadata.name"` of a body that names a field twice.
    """
    wrong_types = mistyped(obj, first_only=True)
    not_base64 = None if wrong_types else base64_error(obj)
    strict = [] if wrong_types or not_base64 else strict_decoding_errors(obj, duplicates)
    if not wrong_types and not not_base64 and not strict:
        return None
    kind = str(obj.get("kind", ""))
    version = str(obj.get("apiVersion", "")).rpartition("/")[2]
    head = f'{kind} in version "{version}" cannot be handled as a {kind}: '
    if wrong_types:
        return head + wrong_types[0].go_error()
    if not_base64:
        return head + not_base64
    return head + "strict decoding error: " + ", ".join(strict)


def strict_decoding_errors(obj: Obj, duplicates: Sequence[str] = ()) -> list[str]:
    """What a strict decoder says of `obj`: each duplicated, then each unknown field."""
    unknown = unknown_custom_fields(obj)
    return [f'duplicate field "{p}"' for p in duplicates] + [
        f'unknown field "{p}"' for p in (unknown_fields(obj) if unknown is None else unknown)
    ]


# --- cluster-scoped kinds and events ---


def _validate_namespace(obj: Obj, old: Obj | None) -> Errors:
    return meta_errors(obj, name_is_dns_label, namespaced=False, update=old is not None)


def _validate_node(obj: Obj, old: Obj | None) -> Errors:
    return meta_errors(obj, name_is_dns_subdomain, namespaced=False, update=old is not None)


def _validate_event(obj: Obj, old: Obj | None) -> Errors:
    """legacyValidateEvent for core/v1, then the registry's generic metadata checks."""
    namespace = obj_or_empty(obj.get("metadata")).get("namespace") or ""
    involved = obj_or_empty(obj.get("involvedObject")).get("namespace") or ""
    errs: Errors = []
    if not obj.get("eventTime") and (
        namespace not in ("", "default") if not involved else namespace != involved
    ):
        errs.append(
            invalid_value("involvedObject.namespace", involved, "does not match event.namespace")
        )
    errs += [invalid_value("namespace", namespace, m) for m in dns1123_subdomain_errors(namespace)]
    return errs or meta_errors(obj, path_segment_name, namespaced=True, update=old is not None)


_VALIDATORS: dict[str, Callable[[Obj, Obj | None], Errors]] = {
    Kind.DEPLOYMENT: validate_deployment,
    Kind.REPLICA_SET: validate_replica_set,
    Kind.STATEFUL_SET: validate_stateful_set,
    Kind.DAEMON_SET: validate_daemon_set,
    Kind.CONTROLLER_REVISION: validate_controller_revision,
    Kind.POD: validate_pod,
    Kind.NAMESPACE: _validate_namespace,
    Kind.NODE: _validate_node,
    Kind.EVENT: _validate_event,
    Kind.CONFIG_MAP: validate_config_map,
    Kind.SECRET: validate_secret,
    Kind.JOB: validate_job,
    Kind.CRON_JOB: validate_cron_job,
    Kind.SERVICE: validate_service,
    Kind.ENDPOINTS: validate_endpoints,
    Kind.ENDPOINT_SLICE: validate_endpoint_slice,
    Kind.PERSISTENT_VOLUME_CLAIM: validate_persistent_volume_claim,
    Kind.PERSISTENT_VOLUME: validate_persistent_volume,
    Kind.STORAGE_CLASS: validate_storage_class,
    Kind.CUSTOM_RESOURCE_DEFINITION: validate_custom_resource_definition,
    Kind.LEASE: validate_lease,
}
