"""The write verbs of subresources: pods/status and every other status (`update_status`),
namespaces/finalize, pods/binding. Each writes one part of the stored object and keeps the
rest, as the kinds' status strategies and the binding REST do (pkg/registry/core/pod/
storage/storage.go BindingREST, pkg/registry/core/namespace/storage/storage.go FinalizeREST).
"""

from __future__ import annotations

from controlplane.api import errors, namespaces
from controlplane.api.defaults import apply_defaults
from controlplane.api.preconditions import check_revision, check_valid
from controlplane.api.registry import is_custom, kind_info
from controlplane.api.writes import Writes
from controlplane.clock import rfc3339
from controlplane.models.clone import clone
from controlplane.models.constants import Kind, Obj


class Subresources(Writes):
    """`update_status`, `finalize_namespace` and `bind`."""

    def update_status(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        """The status subresource: writes `status` and metadata annotations, nothing else
        (the kinds' status strategies' PrepareForUpdate keep the stored spec)."""
        info = self.served(obj.get("kind", ""))
        meta = obj.get("metadata", {})
        with self._writing() as txn:
            stored = self._stored(txn, info, meta.get("namespace", ""), meta.get("name", ""))
            check_revision(info, stored, obj)
            custom = is_custom(info.kind)
            new = clone(stored) if custom else _renewed(stored)
            new["status"] = clone(obj.get("status", {}))
            if meta.get("annotations") is not None:
                new["metadata"]["annotations"] = clone(meta["annotations"])
            if custom:  # customResourceStatusStrategy: the schema holds status (and defaults)
                apply_defaults(new)
                check_valid(info, new, stored, decoded=False)
            self._record_update(stored, new, field_manager, "status")
            return self._commit(txn, info, stored, new, dry_run)

    def finalize_namespace(self, name: str, token: str) -> Obj:
        """The namespaces/finalize subresource: remove `token` from spec.finalizers.

        Once no finalizer is left on a terminating namespace, the namespace is gone.
        """
        info = kind_info(Kind.NAMESPACE)
        with self._writing() as txn:
            stored = self._stored(txn, info, "", name)
            new = namespaces.without_finalizer(stored, token)
            return self._commit(txn, info, stored, new, dry_run=False)

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
            new = _renewed(stored)
            new["spec"] = {**stored["spec"], "nodeName": node}
            status = new["status"] = dict(stored.get("status") or {})
            conditions = status["conditions"] = list(status.get("conditions") or [])
            conditions.append(
                {
                    "type": "PodScheduled",
                    "status": "True",
                    "lastProbeTime": None,
                    "lastTransitionTime": rfc3339(self.clock.now()),
                }
            )
            return self._commit(txn, info, stored, new, dry_run=False)


def _renewed(stored: Obj) -> Obj:
    """The next version of `stored`, as a subresource write begins it: a new top level and
    metadata, the rest shared with `stored` until replaced. `stored` is the transaction's
    own decoding, read for this write alone, so nothing else sees what they share; a deep
    copy of each pod for its bind and status writes was most of their cost."""
    return {**stored, "metadata": dict(stored["metadata"])}
