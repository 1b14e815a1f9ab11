"""Namespace lifecycle rules the API server enforces (the NamespaceLifecycle admission plugin
and the namespace registry's Delete and Finalize).

Deleting a namespace does not remove it: the first DELETE stamps `deletionTimestamp` and
sets `status.phase: Terminating`, and the `kubernetes` entry of `spec.finalizers` keeps the
object until the namespace controller has deleted everything in it and removed that entry
through the finalize subresource. While it terminates nothing new may be created in it.

Upstream: staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go
and pkg/registry/core/namespace/storage/storage.go.
"""

from __future__ import annotations

import copy

from controlplane.api import errors
from controlplane.api.registry import KindInfo, kind_info
from controlplane.clock import rfc3339
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import Key
from controlplane.store.reader import Reader

# Namespaces the lifecycle plugin refuses to delete (metav1.NamespaceDefault, NamespaceSystem,
# NamespacePublic).
IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})
FINALIZER_KUBERNETES = "kubernetes"
PHASE_TERMINATING = "Terminating"
# v1.NamespaceTerminatingCause: the cause controllers look for to stop creating quietly.
NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"


def is_terminating(namespace: Obj) -> bool:
    return bool((namespace.get("status") or {}).get("phase") == PHASE_TERMINATING)


def admit_create(
    reader: Reader, info: KindInfo, namespace: str, name: str, *, must_exist: bool = True
) -> None:
    """Refuse a create into a namespace that is missing or terminating.

    Events pass `must_exist=False`: mkctl records them without the existence check (events
    about cluster-scoped objects land in `default`), but never into a terminating namespace.
    """
    ns = reader.peek(Key(Kind.NAMESPACE, "", namespace))
    if ns is None:
        if must_exist:
            raise errors.not_found(kind_info(Kind.NAMESPACE), namespace)
        return
    if is_terminating(ns):
        raise errors.forbidden_status(
            info,
            name,
            f"unable to create new content in namespace {namespace} because it is being terminated",
            causes=(
                errors.FieldError(
                    "metadata.namespace",
                    NAMESPACE_TERMINATING_CAUSE,
                    detail=f"namespace {namespace} is being terminated",
                ),
            ),
        )


def begin_deletion(stored: Obj, now: float) -> Obj:
    """The first DELETE of a namespace: mark it Terminating instead of removing it."""
    name = stored["metadata"]["name"]
    if name in IMMORTAL_NAMESPACES:
        raise errors.forbidden_status(
            kind_info(Kind.NAMESPACE), name, "this namespace may not be deleted"
        )
    new = copy.deepcopy(stored)
    new["metadata"].setdefault("deletionTimestamp", rfc3339(now))
    new.setdefault("status", {})["phase"] = PHASE_TERMINATING
    return new


def is_finalized(namespace: Obj) -> bool:
    return not (namespace.get("spec") or {}).get("finalizers")


def keep_lifecycle_fields(new: Obj, stored: Obj) -> None:
    """Namespace strategy PrepareForUpdate: spec.finalizers changes only through finalize."""
    finalizers = (stored.get("spec") or {}).get("finalizers")
    spec = new.setdefault("spec", {})
    if finalizers is None:
        spec.pop("finalizers", None)
    else:
        spec["finalizers"] = list(finalizers)


def without_finalizer(stored: Obj, token: str) -> Obj:
    """The finalize subresource as the namespace controller calls it: drop one token."""
    new = copy.deepcopy(stored)
    spec = new.setdefault("spec", {})
    spec["finalizers"] = sorted({f for f in spec.get("finalizers") or [] if f != token})
    return new
