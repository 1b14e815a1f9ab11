"""The checks a write passes before a strategy sees it: its size, that it decodes, and the
preconditions it carries (uid and resourceVersion), each failing with the API server's
status (staging/src/k8s.io/apiserver/pkg/registry/rest/update.go and the generic store's
GuaranteedUpdate); and, once the strategy has prepared it, its validation. The schemas these
need are imported by the first write: a reading command never loads them.
"""

from __future__ import annotations

import json

from controlplane.api import errors
from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj


def check_uid(info: KindInfo, stored: Obj, obj: Obj) -> None:
    """A uid in the object is a precondition on the stored one (upstream's
    defaultUpdatedObjectInfo.Preconditions, staging/src/k8s.io/apiserver/pkg/registry/rest/
    update.go, checked by the storage's GuaranteedUpdate): a write, or a patch, that names
    another uid is a Conflict, never a change of identity."""
    given = obj["metadata"].get("uid")
    current = stored["metadata"]["uid"]
    if given and given != current:
        namespace = stored["metadata"].get("namespace")
        key = "/".join(
            [
                "/registry",
                _ETCD_PREFIX.get(info.kind, info.plural),
                *([namespace] if namespace else []),
                stored["metadata"]["name"],
            ]
        )
        raise errors.conflict(
            info,
            stored["metadata"]["name"],
            f"StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, "
            f"AdditionalErrorMsg: Precondition failed: UID in precondition: {given}, UID in "
            f"object meta: {current}",
        )


# Where the API server keeps a kind in etcd, where it is not under its resource's name
# (pkg/kubeapiserver/default_storage_factory_builder.go and the registries).
_ETCD_PREFIX = {"Node": "minions"}


def check_size(obj: Obj) -> None:
    if len(json.dumps(obj, separators=(",", ":"))) > errors.MAX_REQUEST_BYTES:
        raise errors.request_too_large()


def check_decodes(obj: Obj) -> None:
    """Fields of the wrong JSON type fail as the API server's decoder does: 400 BadRequest."""
    from controlplane.api.validation import decode_error  # the schemas: for writes only

    problem = decode_error(obj)
    if problem:
        raise errors.bad_request(problem)


def check_valid(info: KindInfo, obj: Obj, old: Obj | None = None, *, decoded: bool) -> None:
    """Kubernetes' validation of a create (of an update, given `old`): 422 Invalid.
    `decoded`: `check_decodes` passed on the body before it was defaulted."""
    from controlplane.api.validation import validate

    if problems := validate(obj, old, decoded=decoded):
        raise errors.invalid(info, obj["metadata"].get("name", ""), problems)


def resource_version(obj: Obj) -> int | None:
    rv = obj.get("metadata", {}).get("resourceVersion")
    return int(rv) if rv else None


def check_revision(info: KindInfo, stored: Obj, obj: Obj) -> None:
    """A resourceVersion in the object is a precondition on the stored one: 409 Conflict."""
    wanted = resource_version(obj)
    if wanted is not None and wanted != resource_version(stored):
        raise errors.conflict(info, stored["metadata"]["name"])
