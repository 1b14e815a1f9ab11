"""Namespace controller: empty a terminating namespace, then let it go.

After pkg/controller/namespace/deletion (namespaced_resources_deleter.go). Deleting a namespace
only marks it (`deletionTimestamp`, phase `Terminating`); its `kubernetes` finalizer keeps it
until this controller has deleted everything in it. One sync of a terminating namespace:

1. Delete every object in it (Background propagation, as `deletecollection` does), one kind
   at a time; objects already being deleted are left alone.
2. Write the five deletion conditions (status_condition_utils.go), e.g. while three pods
   are still in their grace period:
   `NamespaceContentRemaining True SomeResourcesRemain "Some resources are remaining: pods. has
   3 resource instances"` (the resource is printed `<resource>.<group>`, and the core group is
   empty, hence `pods.`).
3. Once nothing is left, remove `kubernetes` from spec.finalizers through the finalize
   subresource; the API server then deletes the namespace.

While content remains it requeues itself after the estimate upstream uses (the longest pod
grace period left, else 15 seconds). Within one process it also wakes as soon as an object in a
terminating namespace is gone, so in embedded mode `mkctl delete ns` finishes in one command.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.api.namespaces import FINALIZER_KUBERNETES, is_finalized
from controlplane.api.registry import kind_info, stored_kinds
from controlplane.clock import Clock, parse_rfc3339, rfc3339
from controlplane.controllers.base import ControllerBase, ReadApi
from controlplane.ids import Ids
from controlplane.models.conditions import new_condition
from controlplane.models.constants import ChangeType, Kind, Obj, PodPhase, Propagation
from controlplane.models.meta import Change, Key, is_being_deleted, key_of, name_of, uid_of
from controlplane.runtime.actions import (
    Action,
    Delete,
    FinalizeNamespace,
    RequeueAfter,
    UpdateStatus,
)

# Upstream finalizerEstimateSeconds: how long to wait for content held by finalizers.
FINALIZER_ESTIMATE_SECONDS = 15

# (type, ok reason, ok message) in the order the conditions are first written.
DELETION_CONDITIONS = (
    (
        "NamespaceDeletionDiscoveryFailure",
        "ResourcesDiscovered",
        "All resources successfully discovered",
    ),
    (
        "NamespaceDeletionGroupVersionParsingFailure",
        "ParsedGroupVersions",
        "All legacy kube types successfully parsed",
    ),
    (
        "NamespaceDeletionContentFailure",
        "ContentDeleted",
        "All content successfully deleted, may be waiting on finalization",
    ),
    ("NamespaceContentRemaining", "ContentRemoved", "All content successfully removed"),
    ("NamespaceFinalizersRemaining", "ContentRemoved", "All content successfully removed"),
)


def _remaining_conditions(content: Sequence[Obj]) -> dict[str, tuple[str, str]]:
    """ProcessContentTotals: the failing conditions while objects remain (type -> reason, msg)."""
    by_resource = Counter(kind_info(o["kind"]).resource for o in content)
    by_finalizer = Counter(f for o in content for f in o["metadata"].get("finalizers") or [])
    failing: dict[str, tuple[str, str]] = {}
    if by_resource:
        # gvr.Resource + "." + gvr.Group: `pods.` for the core group, `deployments.apps`.
        parts = sorted(
            f"{r if '.' in r else r + '.'} has {n} resource instances"
            for r, n in by_resource.items()
        )
        failing["NamespaceContentRemaining"] = (
            "SomeResourcesRemain",
            f"Some resources are remaining: {', '.join(parts)}",
        )
    if by_finalizer:
        parts = sorted(f"{f} in {n} resource instances" for f, n in by_finalizer.items())
        failing["NamespaceFinalizersRemaining"] = (
            "SomeFinalizerRemain",
            f"Some finalizers are remaining: {', '.join(parts)}",
        )
    return failing


def updated_status(namespace: Obj, content: Sequence[Obj], now: float) -> Obj | None:
    """updateConditions: the namespace with its deletion conditions brought up to date, or None
    when nothing changed. A changed status moves lastTransitionTime; a changed message does not.
    """
    new = copy.deepcopy(namespace)
    status = new.setdefault("status", {})
    status["phase"] = "Terminating"
    conditions = status.setdefault("conditions", [])
    failing = _remaining_conditions(content)
    for ctype, ok_reason, ok_message in DELETION_CONDITIONS:
        state = "True" if ctype in failing else "False"
        reason, message = failing.get(ctype, (ok_reason, ok_message))
        old = next((c for c in conditions if c.get("type") == ctype), None)
        if old is None:
            conditions.append(
                new_condition(ctype, state, reason, message, now, with_update_time=False)
            )
            continue
        if old.get("status") != state:
            old["lastTransitionTime"] = rfc3339(now)
        old.update(status=state, reason=reason, message=message)
    return None if new == namespace else new


def grace_estimate(namespace: Obj, content: Sequence[Obj], now: float) -> int:
    """estimateGracefulTermination: the longest grace period of a live pod, unless that much
    time has already passed since the namespace was deleted."""
    estimate = max(
        (
            int(o["spec"].get("terminationGracePeriodSeconds") or 0)
            for o in content
            if o["kind"] == Kind.POD
            and (o.get("status") or {}).get("phase") not in (PodPhase.SUCCEEDED, PodPhase.FAILED)
        ),
        default=0,
    )
    deleted_at = parse_rfc3339(namespace["metadata"]["deletionTimestamp"])
    return 0 if now - deleted_at >= estimate else estimate


def plan_namespace_deletion(namespace: Obj, content: Sequence[Obj], now: float) -> list[Action]:
    """One sync of a terminating namespace (Delete in namespaced_resources_deleter.go)."""
    name = name_of(namespace)
    if not content:
        return [FinalizeNamespace(name, FINALIZER_KUBERNETES)]
    actions: list[Action] = []
    status = updated_status(namespace, content, now)
    if status is not None:
        actions.append(UpdateStatus(status))
    for obj in content:
        if not is_being_deleted(obj):
            key = key_of(obj)
            actions.append(
                Delete(
                    key.kind,
                    key.namespace,
                    key.name,
                    uid=uid_of(obj),
                    propagation=Propagation.BACKGROUND.value,
                )
            )
    wait = grace_estimate(namespace, content, now) or FINALIZER_ESTIMATE_SECONDS
    actions.append(RequeueAfter(Key(Kind.NAMESPACE, "", name), wait))
    return actions


class NamespaceController(ControllerBase):
    name = "namespace"

    def __init__(self, api: ReadApi, clock: Clock, ids: Ids) -> None:
        super().__init__(api, clock, ids)
        self._terminating: set[str] = set()  # namespaces seen terminating by this process

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        meta = obj["metadata"]
        if obj["kind"] == Kind.NAMESPACE:
            if change.type == ChangeType.DELETED:
                self._terminating.discard(meta["name"])
                return []
            return [key_of(obj)] if is_being_deleted(obj) else []
        namespace = meta.get("namespace", "")
        if change.type == ChangeType.DELETED and namespace in self._terminating:
            return [Key(Kind.NAMESPACE, "", namespace)]
        return []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        now = self.clock.now()
        for key in keys:
            if key.kind != Kind.NAMESPACE:
                continue
            try:
                namespace = self.api.get(Kind.NAMESPACE, "", key.name)
            except ApiError:
                self._terminating.discard(key.name)
                continue
            if not is_being_deleted(namespace) or is_finalized(namespace):
                continue
            self._terminating.add(key.name)
            content = [
                obj
                for info in stored_kinds()
                if info.namespaced
                for obj in self.api.list(info.kind, key.name)
            ]
            actions += plan_namespace_deletion(namespace, content, now)
        return actions
