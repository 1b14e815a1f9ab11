"""What every write verb shares: the request's copy, the stored object, managed fields, and
the commit, after the generic registry's Update and Delete (staging/src/k8s.io/apiserver/pkg/
registry/generic/registry/store.go). The verbs themselves are `api/verbs.py`'s and, for the
subresources, `api/subresources.py`'s.
"""

from __future__ import annotations

from typing import Any

from controlplane.api import errors
from controlplane.api.preconditions import check_size, resource_version
from controlplane.api.reads import Reads
from controlplane.api.registry import KindInfo
from controlplane.api.strategy import strategy_for
from controlplane.api.strategy.generic import Strategy
from controlplane.clock import rfc3339
from controlplane.models.clone import clone
from controlplane.models.constants import Obj
from controlplane.models.meta import Key, key_of
from controlplane.store import KeyMissing, RevisionMismatch, TooLarge
from controlplane.store.reader import Reader
from controlplane.store.store import Transaction


class Writes(Reads):
    """The steps the write verbs share, over the reads and transactions."""

    def _request(self, obj: Obj) -> tuple[Obj, KindInfo, Strategy, dict[str, Any]]:
        """What a create or an update starts from: a copy of the request's object (within the
        size limit), its served kind, that kind's strategy, and the copy's metadata."""
        check_size(obj)
        obj = clone(obj)
        info = self.served(obj.get("kind", ""))
        return obj, info, strategy_for(info.kind), obj.setdefault("metadata", {})

    def _stored(self, txn: Reader, info: KindInfo, namespace: str, name: str) -> Obj:
        stored = txn.get(Key(info.kind, namespace if info.namespaced else "", name))
        if stored is None:
            raise errors.not_found(info, name)
        return stored

    def _record_update(
        self, old: Obj | None, new: Obj, field_manager: str, subresource: str = ""
    ) -> None:
        from controlplane.api.managedfields import fieldmanager

        now = rfc3339(self.clock.now())
        fieldmanager.update(old, new, field_manager or self.field_manager, now, subresource)

    def _commit(
        self, txn: Transaction, info: KindInfo, stored: Obj, new: Obj, dry_run: bool
    ) -> Obj:
        """Write `new` over `stored`, unless nothing changed; finish finalized deletions."""
        new["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]
        if new == stored or dry_run:
            return new
        if strategy_for(info.kind).deletion_can_finish(new):
            return self._deleted(txn, info, new, stored=False)
        try:
            updated = txn.update(new, resource_version(stored))
        except (KeyMissing, RevisionMismatch) as exc:
            raise errors.conflict(info, new["metadata"]["name"]) from exc
        except TooLarge as exc:
            raise errors.storage_too_large() from exc
        self._defined(info.kind)
        return updated

    def _deleted(self, txn: Transaction, info: KindInfo, obj: Obj, *, stored: bool) -> Obj:
        """Remove `obj`'s key; `stored`: `obj` is the stored object as read (`_stored`)."""
        deleted = txn.delete(key_of(obj), read=obj if stored else None)
        self._defined(info.kind)
        return deleted
