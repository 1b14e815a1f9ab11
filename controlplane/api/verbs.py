"""The write verbs: the one write path for users and controllers alike.

Every write stamps metadata (uid, creationTimestamp, resourceVersion, generation), applies
the apps/v1 and core/v1 defaults, validates with Kubernetes' messages and commits through the
store in one transaction, after the generic registry's Create, Update and Delete
(staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go). What differs by kind
(generation, graceful deletion, status on create) is the kind's strategy (`api/strategy/`).
Errors are `ApiError`s shaped like Kubernetes Status objects.

`Api` is every verb: the subresources' writes (`api/subresources.py`), the steps all writes
share (`api/writes.py`), the reads (`api/reads.py`), the controller lease (`api/leases.py`)
and the transactions they share (`api/transactions.py`) are its bases.
"""

from __future__ import annotations

from typing import Any

from controlplane.api import errors, namespaces, storage_admission
from controlplane.api.defaults import apply_defaults
from controlplane.api.events.verbs import EventVerbs
from controlplane.api.field_validation import STRICT
from controlplane.api.leases import Leases
from controlplane.api.preconditions import (
    check_decodes,
    check_revision,
    check_uid,
    check_valid,
)
from controlplane.api.strategy import strategy_for
from controlplane.api.subresources import Subresources
from controlplane.clock import rfc3339
from controlplane.ids import generate_name
from controlplane.models.clone import clone
from controlplane.models.constants import (
    FINALIZER_FOREGROUND,
    FINALIZER_ORPHAN,
    Kind,
    Obj,
    Propagation,
)
from controlplane.models.meta import Key, key_of
from controlplane.store import KeyExists, TooLarge
from controlplane.store.errors import StoreError as StoreError  # for the runtime's retries

MAX_NAME_GENERATION_CREATE_ATTEMPTS = 8


class Api(Subresources, Leases, EventVerbs):
    """Verbs on Kubernetes-shaped objects over a `Store`.

    `batch()` groups writes into one transaction: a multi-document apply, or the writes a
    controller planned for one pass, commit together or not at all.
    """

    # --- writes -------------------------------------------------------------------------

    def create(
        self, obj: Obj, *, dry_run: bool = False, field_manager: str = "", _applied: bool = False
    ) -> Obj:
        obj, info, strategy, meta = self._request(obj)
        obj["apiVersion"] = info.api_version
        if info.namespaced:
            meta["namespace"] = meta.get("namespace") or "default"
        else:
            meta.pop("namespace", None)
        generated = not meta.get("name") and bool(meta.get("generateName"))
        if generated:
            meta["name"] = generate_name(meta["generateName"], self.ids)
        for server_field in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"):
            meta.pop(server_field, None)
        if not strategy.keeps_status_on_create:
            obj.pop("status", None)
        check_decodes(obj)
        apply_defaults(obj)
        if strategy.uid_before_prepare:
            meta["uid"] = self.ids.uid()
        strategy.prepare_for_create(obj)
        check_valid(info, obj, decoded=True)
        if not strategy.uid_before_prepare:
            meta["uid"] = self.ids.uid()
        meta["creationTimestamp"] = rfc3339(self.clock.now())
        if strategy.has_generation:
            meta["generation"] = 1
        strategy.status_on_create(obj)
        if not _applied:
            self._record_update(None, obj, field_manager)
        with self._writing() as txn:
            if info.namespaced:
                namespaces.admit_create(txn, info, meta["namespace"], meta["name"])
            storage_admission.admit_storage(txn, obj)
            strategy.allocate(txn, obj, None, self.ids)
            if dry_run:
                if txn.get(key_of(obj)) is not None:
                    raise errors.already_exists(info, meta["name"])
                return obj
            # The API server's RetryGenerateName (registry/generic/registry/store.go,
            # maxNameGenerationCreateAttempts): a generated name that is taken is drawn
            # again, up to 8 attempts. 27^5 suffixes collide within a few thousand pods.
            for attempt in range(1, MAX_NAME_GENERATION_CREATE_ATTEMPTS + 1):
                try:
                    created = txn.create(obj)
                    break
                except KeyExists as exc:
                    if not generated or attempt == MAX_NAME_GENERATION_CREATE_ATTEMPTS:
                        raise errors.already_exists(info, meta["name"]) from exc
                    meta["name"] = generate_name(meta["generateName"], self.ids)
                except TooLarge as exc:
                    raise errors.storage_too_large() from exc
            self._events.created(created)
            self._defined(info.kind)
            return created

    def update(
        self, obj: Obj, *, dry_run: bool = False, field_manager: str = "", _applied: bool = False
    ) -> Obj:
        """Replace spec and metadata; status is kept (it changes only through update_status)."""
        obj, info, strategy, meta = self._request(obj)
        with self._writing() as txn:
            stored = self._stored(txn, info, meta.get("namespace", ""), meta.get("name", ""))
            check_revision(info, stored, obj)
            old_meta = stored["metadata"]
            check_uid(info, stored, obj)
            obj["apiVersion"] = info.api_version
            for immutable in (
                "uid",
                "creationTimestamp",
                "namespace",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "generation",
                "resourceVersion",
            ):
                if immutable in old_meta:
                    meta[immutable] = old_meta[immutable]
                else:
                    meta.pop(immutable, None)
            if "status" in stored and not strategy.status_on_main_resource:
                obj["status"] = stored["status"]
            elif not strategy.status_on_main_resource:
                obj.pop("status", None)
            strategy.keep_on_update(obj, stored)
            check_decodes(obj)
            apply_defaults(obj)
            strategy.prepare_for_update(obj, stored)
            check_valid(info, obj, stored, decoded=True)
            strategy.allocate(txn, obj, stored, self.ids)
            if strategy.has_generation and strategy.generation_changes(stored, obj):
                meta["generation"] = int(old_meta.get("generation", 0)) + 1
            if not _applied:
                self._record_update(stored, obj, field_manager)
            return self._commit(txn, info, stored, obj, dry_run)

    def patch(
        self,
        kind: str,
        namespace: str,
        name: str,
        body: Any,
        patch_type: str,
        *,
        dry_run: bool = False,
        field_validation: str = STRICT,
        field_manager: str = "",
    ) -> Obj:
        """Apply a `json`, `merge` or `strategic` patch to the stored object.

        `body` may be the request's raw JSON text, decoded here with Go's error messages.
        A JSON patch that cannot be applied is a 422, as the API server answers it, but the
        message also says which operation failed (the real server leaves that out).
        `field_validation` is the request's fieldValidation (see `api/field_validation.py`).
        """
        with self._writing():
            stored = self.get(kind, namespace, name)
            patched = self.patched(stored, body, patch_type, field_validation)
            return self.update(patched, dry_run=dry_run, field_manager=field_manager)

    @staticmethod
    def patched(current: Obj, body: Any, patch_type: str, field_validation: str) -> Obj:
        """`current` with the patch applied; nothing is written (see `api/patch.py`)."""
        from controlplane.api.patch import patched

        return patched(current, body, patch_type, field_validation)

    def apply(
        self,
        config: Obj,
        *,
        field_manager: str,
        force: bool = False,
        dry_run: bool = False,
    ) -> tuple[Obj, bool]:
        """Server-side apply (an `application/apply-patch+yaml` PATCH): `config` merged into
        the live object, or created; True when created. See `managedfields.fieldmanager`."""
        from controlplane.api.managedfields import fieldmanager

        info = self.served(config.get("kind", ""))
        meta = config.get("metadata") or {}
        namespace = (meta.get("namespace") or "default") if info.namespaced else ""
        with self._writing() as txn:
            key = Key(info.kind, namespace, meta.get("name", ""))
            live = txn.get(key)
            now = rfc3339(self.clock.now())
            config = {**config, "apiVersion": info.api_version}
            applied = fieldmanager.apply(live, config, field_manager, force, now)
            if live is None:
                return self.create(applied, dry_run=dry_run, _applied=True), True
            return self.update(applied, dry_run=dry_run, _applied=True), False

    def delete(
        self,
        kind: str,
        namespace: str,
        name: str,
        *,
        propagation: str | None = None,
        grace_period_seconds: int | None = None,
        uid: str = "",
        resource_version: str = "",
        dry_run: bool = False,
    ) -> Obj:
        """Delete with Kubernetes' semantics.

        After the generic registry's Delete (staging/src/k8s.io/apiserver/pkg/registry/generic/
        registry/store.go) and the pod strategy's CheckGracefulDelete
        (pkg/registry/core/pod/strategy.go).

        `uid` and `resource_version` are DeleteOptions.preconditions: the delete fails with a
        409 Conflict unless the stored object still has them.

        Pods on a node terminate gracefully: they are marked with a deletionTimestamp and the
        kubelet removes them. Foreground and Orphan deletes leave the owner marked with a
        finalizer for the garbage collector. Background deletes remove the owner at once and
        the garbage collector removes its dependents.
        """
        info = self.served(kind)
        strategy = strategy_for(info.kind)
        with self._writing() as txn:
            stored = self._stored(txn, info, namespace, name)
            meta = stored["metadata"]
            if uid and meta["uid"] != uid:
                raise errors.conflict(
                    info,
                    name,
                    f"Precondition failed: UID in precondition: {uid}, UID in object meta: "
                    f"{meta['uid']}",
                )
            if resource_version and meta["resourceVersion"] != resource_version:
                raise errors.conflict(
                    info,
                    name,
                    "Precondition failed: ResourceVersion in precondition: "
                    f"{resource_version}, ResourceVersion in object meta: "
                    f"{meta['resourceVersion']}",
                )
            if info.kind == Kind.NAMESPACE:
                if meta.get("deletionTimestamp") and not namespaces.is_finalized(stored):
                    return stored  # already terminating: the namespace controller is at work
                new = namespaces.begin_deletion(stored, self.clock.now())
            else:
                new = clone(stored)
                strategy.prepare_for_delete(new)
            new_meta = new["metadata"]
            finalizers = list(new_meta.get("finalizers") or [])
            if propagation == Propagation.FOREGROUND and FINALIZER_FOREGROUND not in finalizers:
                finalizers.append(FINALIZER_FOREGROUND)
            if propagation == Propagation.ORPHAN and FINALIZER_ORPHAN not in finalizers:
                finalizers.append(FINALIZER_ORPHAN)
            if finalizers:
                new_meta["finalizers"] = finalizers
            now = self.clock.now()
            grace = strategy.grace_period(stored, grace_period_seconds)
            if grace > 0 and not meta.get("deletionTimestamp"):
                new_meta["deletionTimestamp"] = rfc3339(now + grace)
                new_meta["deletionGracePeriodSeconds"] = grace
            elif strategy.graceful_deletion:
                new_meta["deletionGracePeriodSeconds"] = 0
            if finalizers and not new_meta.get("deletionTimestamp"):
                # store.go markAsDeleting: held by finalizers, no grace, a new generation
                new_meta["deletionTimestamp"] = rfc3339(now)
                new_meta["deletionGracePeriodSeconds"] = 0
                if new_meta.get("generation"):
                    new_meta["generation"] = int(new_meta["generation"]) + 1
            if dry_run:
                return new
            if info.kind == Kind.NAMESPACE:
                can_go = strategy.deletion_can_finish(new)
            else:
                can_go = not new_meta.get("finalizers") and grace == 0
            if can_go:
                return self._deleted(txn, info, stored, stored=True)
            return self._commit(txn, info, stored, new, dry_run=False)
