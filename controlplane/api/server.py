"""The API verbs: the one write path for users and controllers alike.

Every write stamps metadata (uid, creationTimestamp, resourceVersion, generation), applies
the apps/v1 and core/v1 defaults, validates with Kubernetes' messages and commits through the
store in one transaction. Errors are `ApiError`s shaped like Kubernetes Status objects.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from controlplane.api import errors, events, namespaces, selection, storage_admission
from controlplane.api.defaults import apply_defaults
from controlplane.api.field_validation import STRICT, admit_patched
from controlplane.api.informer import Informer
from controlplane.api.managedfields import fieldmanager
from controlplane.api.recorder import EventRecorder
from controlplane.api.registry import KindInfo, is_served, kind_info
from controlplane.api.validation import decode_error, validate
from controlplane.clock import Clock, rfc3339
from controlplane.ids import Ids, generate_name
from controlplane.models.clone import clone
from controlplane.models.constants import (
    FINALIZER_FOREGROUND,
    FINALIZER_ORPHAN,
    TEMPLATE_GENERATION_ANNOTATION,
    EventType,
    Kind,
    Obj,
    PodPhase,
    Propagation,
)
from controlplane.models.meta import Change, Key, key_of
from controlplane.store import (
    Compacted,
    KeyExists,
    KeyMissing,
    RevisionMismatch,
    Store,
    TooLarge,
)
from controlplane.store.errors import StoreError as StoreError  # for the runtime's retries
from controlplane.store.store import Lease, Reader, Transaction

# Kinds whose metadata.generation counts spec changes (pods have none in mkctl).
KINDS_WITH_GENERATION = frozenset(
    {Kind.DEPLOYMENT, Kind.REPLICA_SET, Kind.STATEFUL_SET, Kind.DAEMON_SET}
)
DEFAULT_GRACE_PERIOD_SECONDS = 30
MAX_NAME_GENERATION_CREATE_ATTEMPTS = 8


def _info(kind: str) -> KindInfo:
    if not is_served(kind):
        raise errors.bad_request(
            f'the server could not find the requested resource (kind "{kind}")'
        )
    return kind_info(kind)


def _check_uid(info: KindInfo, stored: Obj, obj: Obj) -> None:
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


def _check_size(obj: Obj) -> None:
    if len(json.dumps(obj, separators=(",", ":"))) > errors.MAX_REQUEST_BYTES:
        raise errors.request_too_large()


def _check_decodes(obj: Obj) -> None:
    """Fields of the wrong JSON type fail as the API server's decoder does: 400 BadRequest."""
    problem = decode_error(obj)
    if problem:
        raise errors.bad_request(problem)


def _resource_version(obj: Obj) -> int | None:
    rv = obj.get("metadata", {}).get("resourceVersion")
    return int(rv) if rv else None


def _set_template_generation(obj: Obj, old: Obj | None) -> None:
    """DaemonSet strategy PrepareForCreate/PrepareForUpdate: the template generation starts at
    1 and counts template changes; apps/v1 shows it as an annotation.

    Upstream pkg/registry/apps/daemonset/strategy.go, and pkg/apis/apps/v1/conversion.go
    Convert_apps_DaemonSet_To_v1_DaemonSet for the annotation.
    """
    if obj.get("kind") != Kind.DAEMON_SET:
        return
    annotations = obj["metadata"].get("annotations") or {}
    if old is None:
        given = annotations.get(TEMPLATE_GENERATION_ANNOTATION, "")
        generation = int(given) if given.isdigit() and int(given) >= 1 else 1
    else:
        stored = (old["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION_ANNOTATION)
        generation = int(stored) if stored and stored.isdigit() else 1
        if obj["spec"].get("template") != old["spec"].get("template"):
            generation += 1
    obj["metadata"]["annotations"] = {
        **annotations,
        TEMPLATE_GENERATION_ANNOTATION: str(generation),
    }


def _generation_changes(info: KindInfo, old: Obj, new: Obj) -> bool:
    """Spec changes bump generation; for Deployments annotation changes too.

    As the PrepareForUpdate of pkg/registry/apps/*/strategy.go."""
    if new.get("spec") != old.get("spec"):
        return True
    if info.kind == Kind.DEPLOYMENT:
        return bool(new["metadata"].get("annotations") != old["metadata"].get("annotations"))
    return False


class Api:
    """Verbs on Kubernetes-shaped objects over a `Store`.

    `batch()` groups writes into one transaction: a multi-document apply, or the writes a
    controller planned for one pass, commit together or not at all.
    """

    def __init__(self, store: Store, clock: Clock, ids: Ids) -> None:
        self.store = store
        self.clock = clock
        self.ids = ids
        self._txn: Transaction | None = None
        self._snapshot: Reader | None = None
        self._informer: Informer | None = None  # made by the first informed snapshot
        self._informed = False  # reads in this snapshot may come from the informer
        self._informer_synced = False  # the informer is at this snapshot's revision
        self._events = EventRecorder(clock, ids)
        # Who writes when a verb is not told (managerOrUserAgent): the controllers' manager
        # sets its own for each pass (`acting_as`).
        self.field_manager = "mkctl"

    @contextmanager
    def acting_as(self, field_manager: str) -> Iterator[None]:
        """Writes inside are recorded in managedFields under `field_manager`."""
        before, self.field_manager = self.field_manager, field_manager
        try:
            yield
        finally:
            self.field_manager = before

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._writing():
            yield

    @contextmanager
    def _writing(self) -> Iterator[Transaction]:
        """The current write transaction, or a new one that nested verbs will share."""
        if self._txn is not None:
            yield self._txn
            return
        with self.store.transaction() as txn:
            self._txn = txn
            try:
                yield txn
            finally:
                self._txn = None

    @contextmanager
    def snapshot(self, *, informed: bool = False) -> Iterator[None]:
        """Serve every read inside from one read transaction: one consistent view, cheaply.

        `informed` is for the controllers, which only read what they are handed: lists, and
        gets of a kind listed before, come from this process's informer (`api/informer.py`),
        brought to the snapshot's revision first. Objects from it must not be changed.
        """
        if self._txn is not None or self._snapshot is not None:
            yield
            return
        with self.store.reader() as reader:
            self._snapshot, self._informed, self._informer_synced = reader, informed, False
            try:
                yield
            finally:
                self._snapshot, self._informed = None, False
        if informed and self._informer is not None:
            self._informer.check()

    def _informer_now(self) -> tuple[Informer, Reader] | None:
        """The informer and the snapshot it is current with, when reads may come from it."""
        reader = self._snapshot
        if not self._informed or self._txn is not None or reader is None:
            return None
        if self._informer is None:
            self._informer = Informer()
        if not self._informer_synced:
            self._informer.sync(reader)
            self._informer_synced = True
        return self._informer, reader

    @contextmanager
    def _reading(self) -> Iterator[Reader]:
        current = self._txn or self._snapshot
        if current is not None:
            yield current
            return
        with self.store.reader() as reader:
            yield reader

    # --- reads --------------------------------------------------------------------------

    def get(self, kind: str, namespace: str, name: str) -> Obj:
        info = _info(kind)
        key = Key(kind, namespace if info.namespaced else "", name)
        informed = self._informer_now()
        if informed is not None and informed[0].caches(kind):
            obj = informed[0].get(key)
        else:
            with self._reading() as r:
                obj = r.get(key)
        if obj is None:
            raise errors.not_found(info, name)
        return obj

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        label_selector: Mapping[str, Any] | str | None = None,
        field_selector: str | None = None,
        controller_uid: str | None = None,
        include_orphans: bool = False,
    ) -> list[Obj]:
        """Objects of a kind, sorted by namespace then name; `namespace=None` is all of them.

        Selectors are checked as the API server decodes a list request (label selector, then
        field selector, then the kind's field-label conversion): errors are 400 BadRequest.
        """
        info = _info(kind)
        selected = selection.predicate(kind, label_selector, field_selector)
        if not info.namespaced:
            namespace = None
        informed = self._informer_now()
        if informed is not None:
            informer, reader = informed
            found = informer.list(reader, kind, namespace, controller_uid, include_orphans)
        else:
            with self._reading() as r:
                found = r.list(
                    kind, namespace, controller_uid=controller_uid, include_orphans=include_orphans
                )
        return found if selected is None else [o for o in found if selected(o)]

    def list_after(
        self, kind: str, namespace: str | None, after: tuple[str, str] | None, limit: int
    ) -> builtins.list[Obj]:
        """One page of a list: at most `limit` objects after the key (namespace, name)."""
        with self._reading() as r:
            return r.list_after(kind, namespace if _info(kind).namespaced else None, after, limit)

    def count_after(self, kind: str, namespace: str | None, after: tuple[str, str]) -> int:
        with self._reading() as r:
            return r.count_after(kind, namespace if _info(kind).namespaced else None, after)

    def dependents(self, owner_uid: str) -> builtins.list[Obj]:
        """Every object with an ownerReference to `owner_uid`."""
        with self._reading() as r:
            found = [r.get(key) for key in r.dependents(owner_uid)]
        return [o for o in found if o is not None]

    def current_revision(self) -> int:
        with self._reading() as r:
            return r.current_revision()

    def changes_after(self, revision: int, limit: int | None = None) -> builtins.list[Change]:
        """The watch: every change after `revision`, in order; 410 Expired once compacted."""
        try:
            with self._reading() as r:
                changes = r.changes_after(revision, limit)
        except Compacted as exc:
            raise errors.expired(exc.requested, exc.compacted) from exc
        if self._informer is not None and self._informed and self._txn is None:
            self._informer.observe(revision, changes)
        return changes

    def compact(self, keep_revision: int) -> int:
        """Forget the changes before `keep_revision`; watchers behind it must re-list."""
        with self._writing() as txn:
            return txn.compact(keep_revision)

    # --- writes -------------------------------------------------------------------------

    def create(
        self, obj: Obj, *, dry_run: bool = False, field_manager: str = "", _applied: bool = False
    ) -> Obj:
        _check_size(obj)
        obj = clone(obj)
        info = _info(obj.get("kind", ""))
        meta = obj.setdefault("metadata", {})
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
        if info.kind != Kind.NAMESPACE and info.kind != Kind.NODE:
            obj.pop("status", None)
        _check_decodes(obj)
        apply_defaults(obj)
        _set_template_generation(obj, None)
        problems = validate(obj)
        if problems:
            raise errors.invalid(info, meta.get("name", ""), problems)
        meta["uid"] = self.ids.uid()
        meta["creationTimestamp"] = rfc3339(self.clock.now())
        if info.kind in KINDS_WITH_GENERATION:
            meta["generation"] = 1
        if info.kind == Kind.POD:
            obj["status"] = {"phase": PodPhase.PENDING.value, "qosClass": "BestEffort"}
        if not _applied:
            self._record_update(None, obj, field_manager)
        with self._writing() as txn:
            if info.namespaced:
                namespaces.admit_create(txn, info, meta["namespace"], meta["name"])
            storage_admission.admit_storage(txn, obj)
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
            return created

    def _stored(self, txn: Reader, info: KindInfo, namespace: str, name: str) -> Obj:
        stored = txn.get(Key(info.kind, namespace if info.namespaced else "", name))
        if stored is None:
            raise errors.not_found(info, name)
        return stored

    def _check_revision(self, info: KindInfo, stored: Obj, obj: Obj) -> None:
        wanted = _resource_version(obj)
        if wanted is not None and wanted != _resource_version(stored):
            raise errors.conflict(info, stored["metadata"]["name"])

    def _record_update(
        self, old: Obj | None, new: Obj, field_manager: str, subresource: str = ""
    ) -> None:
        now = rfc3339(self.clock.now())
        fieldmanager.update(old, new, field_manager or self.field_manager, now, subresource)

    def update(
        self, obj: Obj, *, dry_run: bool = False, field_manager: str = "", _applied: bool = False
    ) -> Obj:
        """Replace spec and metadata; status is kept (it changes only through update_status)."""
        _check_size(obj)
        obj = clone(obj)
        info = _info(obj.get("kind", ""))
        meta = obj.setdefault("metadata", {})
        with self._writing() as txn:
            stored = self._stored(txn, info, meta.get("namespace", ""), meta.get("name", ""))
            self._check_revision(info, stored, obj)
            old_meta = stored["metadata"]
            _check_uid(info, stored, obj)
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
            if "status" in stored:
                obj["status"] = stored["status"]
            else:
                obj.pop("status", None)
            if info.kind == Kind.NAMESPACE:
                namespaces.keep_lifecycle_fields(obj, stored)
            _check_decodes(obj)
            apply_defaults(obj)
            _set_template_generation(obj, stored)
            problems = validate(obj, stored)
            if problems:
                raise errors.invalid(info, meta["name"], problems)
            if info.kind in KINDS_WITH_GENERATION and _generation_changes(info, stored, obj):
                meta["generation"] = int(old_meta.get("generation", 0)) + 1
            if not _applied:
                self._record_update(stored, obj, field_manager)
            return self._commit(txn, info, stored, obj, dry_run)

    def update_status(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        """The status subresource: writes `status` and metadata annotations, nothing else
        (the kinds' status strategies' PrepareForUpdate keep the stored spec)."""
        info = _info(obj.get("kind", ""))
        meta = obj.get("metadata", {})
        with self._writing() as txn:
            stored = self._stored(txn, info, meta.get("namespace", ""), meta.get("name", ""))
            self._check_revision(info, stored, obj)
            new = clone(stored)
            new["status"] = clone(obj.get("status", {}))
            if meta.get("annotations") is not None:
                new["metadata"]["annotations"] = clone(meta["annotations"])
            self._record_update(stored, new, field_manager, "status")
            return self._commit(txn, info, stored, new, dry_run)

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
        """`current` with the patch applied, as the PATCH of an object or of its `/status` or
        `/scale` (whose `current` is the Scale) changes it; nothing is written."""
        from controlplane.api import patch as patches

        try:
            body = patches.decode_body(body, patch_type)
        except patches.PatchError as exc:
            raise errors.bad_request(str(exc)) from exc
        try:
            patched = patches.apply_patch(current, body, patch_type, str(current.get("kind")))
        except patches.PatchError as exc:
            if patch_type == "json":
                raise errors.ApiError(
                    "Invalid",
                    422,
                    f"the server rejected our request due to an error in our request: {exc}",
                ) from exc
            raise errors.bad_request(str(exc)) from exc
        admit_patched(patched, body, patch_type, field_validation)
        metadata = body.get("metadata") if isinstance(body, dict) else None
        current_version = current["metadata"].get("resourceVersion")
        names_version = (
            patched.get("metadata", {}).get("resourceVersion") != current_version
            if patch_type == "json"  # kubectl's managedFields migration locks this way
            else isinstance(metadata, dict) and bool(metadata.get("resourceVersion"))
        )
        if not names_version:
            # a patch is a precondition on resourceVersion only when it names one
            patched.setdefault("metadata", {})["resourceVersion"] = current_version
        return patched

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
        info = _info(config.get("kind", ""))
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

    def _commit(
        self, txn: Transaction, info: KindInfo, stored: Obj, new: Obj, dry_run: bool
    ) -> Obj:
        """Write `new` over `stored`, unless nothing changed; finish finalized deletions."""
        new["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]
        if new == stored or dry_run:
            return new
        if self._deletion_can_finish(new):
            return txn.delete(key_of(new))
        try:
            return txn.update(new, _resource_version(stored))
        except (KeyMissing, RevisionMismatch) as exc:
            raise errors.conflict(info, new["metadata"]["name"]) from exc
        except TooLarge as exc:
            raise errors.storage_too_large() from exc

    @staticmethod
    def _deletion_can_finish(obj: Obj) -> bool:
        """An object marked for deletion goes once no finalizer (or grace period) holds it."""
        meta = obj["metadata"]
        if not meta.get("deletionTimestamp") or meta.get("finalizers"):
            return False
        if obj["kind"] == Kind.NAMESPACE:
            return namespaces.is_finalized(obj)
        return bool(obj["kind"] != Kind.POD or meta.get("deletionGracePeriodSeconds", 0) == 0)

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
        info = _info(kind)
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
            new_meta = new["metadata"]
            finalizers = list(new_meta.get("finalizers") or [])
            if propagation == Propagation.FOREGROUND and FINALIZER_FOREGROUND not in finalizers:
                finalizers.append(FINALIZER_FOREGROUND)
            if propagation == Propagation.ORPHAN and FINALIZER_ORPHAN not in finalizers:
                finalizers.append(FINALIZER_ORPHAN)
            if finalizers:
                new_meta["finalizers"] = finalizers
            now = self.clock.now()
            grace = self._grace_period(stored, grace_period_seconds)
            if grace > 0 and not meta.get("deletionTimestamp"):
                new_meta["deletionTimestamp"] = rfc3339(now + grace)
                new_meta["deletionGracePeriodSeconds"] = grace
            elif info.kind == Kind.POD:
                new_meta["deletionGracePeriodSeconds"] = 0
            if finalizers and not new_meta.get("deletionTimestamp"):
                new_meta["deletionTimestamp"] = rfc3339(now)
            if dry_run:
                return new
            if info.kind == Kind.NAMESPACE:
                can_go = self._deletion_can_finish(new)
            else:
                can_go = not new_meta.get("finalizers") and (grace == 0 or info.kind != Kind.POD)
            if can_go:
                return txn.delete(key_of(stored))
            return self._commit(txn, info, stored, new, dry_run=False)

    def finalize_namespace(self, name: str, token: str) -> Obj:
        """The namespaces/finalize subresource: remove `token` from spec.finalizers.

        Once no finalizer is left on a terminating namespace, the namespace is gone.
        """
        info = kind_info(Kind.NAMESPACE)
        with self._writing() as txn:
            stored = self._stored(txn, info, "", name)
            new = namespaces.without_finalizer(stored, token)
            return self._commit(txn, info, stored, new, dry_run=False)

    @staticmethod
    def _grace_period(obj: Obj, requested: int | None) -> int:
        """Only pods that are on a node and still running wait out a grace period. A negative
        one (requested, or stored before defaulting made it 1) is 1, as upstream's
        CheckGracefulDelete (pkg/registry/core/pod/strategy.go) makes it."""
        if obj["kind"] != Kind.POD:
            return 0
        status = obj.get("status", {})
        if not obj["spec"].get("nodeName") or status.get("phase") in (
            PodPhase.SUCCEEDED,
            PodPhase.FAILED,
        ):
            return 0
        meta = obj["metadata"]
        if meta.get("deletionTimestamp"):
            current = int(meta.get("deletionGracePeriodSeconds", 0))
            period = current if requested is None else min(current, requested)
        elif requested is not None:
            period = requested
        else:
            period = int(
                obj["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE_PERIOD_SECONDS)
            )
        return 1 if period < 0 else period

    def bind(self, namespace: str, name: str, node: str) -> Obj:
        """The pods/binding subresource: set spec.nodeName and PodScheduled=True at once."""
        info = kind_info(Kind.POD)
        with self._writing() as txn:
            stored = self._stored(txn, info, namespace, name)
            if stored["spec"].get("nodeName"):
                raise errors.conflict(
                    info,
                    name,
                    f'pod {name} is already assigned to node "{stored["spec"]["nodeName"]}"',
                )
            new = clone(stored)
            new["spec"]["nodeName"] = node
            conditions = new.setdefault("status", {}).setdefault("conditions", [])
            conditions.append(
                {
                    "type": "PodScheduled",
                    "status": "True",
                    "lastProbeTime": None,
                    "lastTransitionTime": rfc3339(self.clock.now()),
                }
            )
            return self._commit(txn, info, stored, new, dry_run=False)

    # --- events -------------------------------------------------------------------------

    def record_event(
        self,
        involved: Obj,
        type: EventType,
        reason: str,
        message: str,
        source: str,
        *,
        host: str = "",
        field_path: str = "",
    ) -> Obj | None:
        """Record an Event about `involved`, named `<name>.<hex of unix nanoseconds>`; a repeat
        of an identical event bumps that event's count and lastTimestamp instead.

        First, as client-go's EventCorrelator does, similar events may be combined into one
        and a source that has said too much about the object is not heard (None is returned):
        see `recorder` and `event_correlator`."""
        with self._writing() as txn:
            return self._events.record(
                txn, involved, type, reason, message, source, host=host, field_path=field_path
            )

    def events_about(self, involved: Obj) -> builtins.list[Obj]:
        """The events about this incarnation of `involved` (same uid), in name (time) order."""
        with self._reading() as r:
            return events.events_about(r, involved)

    # --- controller lease ---------------------------------------------------------------

    def try_acquire_lease(
        self, name: str, holder: str, ttl: float, *, take_over: str = ""
    ) -> Lease | None:
        """Take (or renew) the lease if it is free, expired, already ours, or held by
        `take_over` (a holder known to be dead)."""
        now = self.clock.now()
        with self._writing() as txn:
            lease = txn.lease(name) or Lease(holder, 0.0, 0, [])
            if lease.holder not in (holder, take_over) and lease.expires > now:
                return None
            lease.holder, lease.expires = holder, now + ttl
            txn.save_lease(name, lease)
            return lease

    def lease(self, name: str) -> Lease | None:
        with self._reading() as r:
            return r.lease(name)

    def save_lease(self, name: str, lease: Lease) -> None:
        with self._writing() as txn:
            txn.save_lease(name, lease)
