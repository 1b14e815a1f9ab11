"""The read verbs: get, list, pages of a list, dependents and the change log (the watch).

Selectors are checked as the API server decodes a list request; a kind the API does not
serve is a 400, as for every verb (`Reads.served`).
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Mapping
from typing import Any

from controlplane.api import errors, selection
from controlplane.api.crd.served import load, loaded_from
from controlplane.api.informer_followers import Follower
from controlplane.api.registry import KindInfo, is_custom, is_served, kind_info
from controlplane.api.transactions import Transactions
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import Change, Key
from controlplane.store import Compacted
from controlplane.store.reader import Lease


class Reads(Transactions):
    def served(self, kind: str) -> KindInfo:
        """The registry entry of a kind this API serves; custom kinds are (re)read from the
        store when unknown, or when read from another store."""
        if not is_served(kind) or (is_custom(kind) and not loaded_from(self.store)):
            self.reload_custom_kinds()
        if not is_served(kind):
            raise errors.bad_request(
                f'the server could not find the requested resource (kind "{kind}")'
            )
        return kind_info(kind)

    def reload_custom_kinds(self) -> None:
        """Serve the custom kinds of the CRDs in the store (`api/crd/served.py`)."""
        with self._reading() as r:
            crds = r.list(Kind.CUSTOM_RESOURCE_DEFINITION)
        load(crds, self.store)

    def _defined(self, kind: str) -> None:
        """After a CRD's write, serve what the CRDs now define."""
        if kind == Kind.CUSTOM_RESOURCE_DEFINITION:
            self.reload_custom_kinds()

    def get(self, kind: str, namespace: str, name: str) -> Obj:
        info = self.served(kind)
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
        info = self.served(kind)
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

    def follow(self, kind: str, follower: Follower) -> bool:
        """Have the informer tell `follower` about every object of `kind` and each change
        (`Informer.follow`); False when this read is not served by the informer, and the
        follower must be given a list instead."""
        informed = self._informer_now()
        if informed is None:
            return False
        informer, reader = informed
        informer.follow(reader, kind, follower)
        return True

    def list_after(
        self, kind: str, namespace: str | None, after: tuple[str, str] | None, limit: int
    ) -> builtins.list[Obj]:
        """One page of a list: at most `limit` objects after the key (namespace, name)."""
        with self._reading() as r:
            return r.list_after(
                kind, namespace if self.served(kind).namespaced else None, after, limit
            )

    def count_after(self, kind: str, namespace: str | None, after: tuple[str, str]) -> int:
        with self._reading() as r:
            return r.count_after(kind, namespace if self.served(kind).namespaced else None, after)

    def dependents(self, owner_uid: str) -> builtins.list[Obj]:
        """Every object with an ownerReference to `owner_uid`."""
        with self._reading() as r:
            found = [r.get(key) for key in r.dependents(owner_uid)]
        return [o for o in found if o is not None]

    def current_revision(self) -> int:
        with self._reading() as r:
            return r.current_revision()

    def changes_after(
        self, revision: int, limit: int | None = None, unread_kinds: Collection[str] = ()
    ) -> builtins.list[Change]:
        """The watch: every change after `revision`, in order; 410 Expired once compacted.
        Changes of `unread_kinds` may come back `partial` (`store.Reader.changes_after`),
        but never those of a kind the informer caches, which it applies."""
        informer = self._informer if self._informed and self._txn is None else None
        copies = None
        if informer is not None:
            unread_kinds = [kind for kind in unread_kinds if not informer.caches(kind)]
            copies = informer.copies  # this process's own writes, not decoded back
        try:
            with self._reading() as r:
                changes = r.changes_after(revision, limit, unread_kinds, copies)
        except Compacted as exc:
            raise errors.expired(exc.requested, exc.compacted) from exc
        if informer is not None:
            informer.observe(revision, changes)
            if changes:
                informer.forget_copies(changes[-1].revision)
        return changes

    def compact_to_mark(self, task: str, due: float) -> int:
        """One tick of kube-apiserver's compactor (staging/src/k8s.io/apiserver/pkg/storage/
        etcd3/compact.go `compact`): forget the changes before the revision marked at the
        previous tick, and mark the current one. The log so always keeps at least the last
        interval's changes; a watch from further back gets 410 Expired and re-lists. The
        next tick is `due` then."""
        with self._writing() as txn:
            last = txn.lease(task)
            removed = txn.compact(last.cursor) if last is not None and last.cursor > 0 else 0
            txn.save_lease(task, Lease(task, due, txn.current_revision(), []))
            return removed

    def compact(self, keep_revision: int) -> int:
        """Forget the changes before `keep_revision`; watchers behind it must re-list."""
        with self._writing() as txn:
            return txn.compact(keep_revision)
