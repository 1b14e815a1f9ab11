"""Re-listing after a compaction: what an informer does when its watch gets 410 Expired.

The changes the manager missed are gone from the log, so it lists every object instead and
offers each to the controllers as ADDED; reconciles are level-triggered, so that is enough for
everything that still exists. What was deleted in the gap cannot be listed: an owner that
some object still references but that no longer exists is offered as a DELETED tombstone
(client-go's DeletedFinalStateUnknown), so that the garbage collector still collects its
dependents. Everything comes from one snapshot, at one revision, where the cursor resumes.
"""

from __future__ import annotations

from controlplane.api.registry import stored_kinds
from controlplane.api.verbs import Api
from controlplane.models.constants import ChangeType, Obj
from controlplane.models.meta import Change, owner_references, uid_of


def relist(api: Api) -> tuple[int, list[Change]]:
    """The current revision and one change per object (and per vanished owner)."""
    with api.snapshot():
        revision = api.current_revision()
        api.reload_custom_kinds()  # the kinds this store's CRDs define now, as a re-list sees
        objects = [obj for info in stored_kinds() for obj in api.list(info.kind)]
    changes = [Change(revision, ChangeType.ADDED.value, obj) for obj in objects]
    alive = {uid_of(obj) for obj in objects}
    gone: dict[str, Obj] = {}
    for obj in objects:
        for ref in owner_references(obj):
            if ref["uid"] not in alive and ref["uid"] not in gone:
                gone[ref["uid"]] = _tombstone(ref, obj["metadata"].get("namespace", ""))
    changes += [Change(revision, ChangeType.DELETED.value, t) for t in gone.values()]
    return revision, changes


def _tombstone(ref: dict[str, str], namespace: str) -> Obj:
    """The little that is known of a vanished owner: its kind, name, namespace and uid."""
    return {
        "apiVersion": ref.get("apiVersion", ""),
        "kind": ref["kind"],
        "metadata": {"name": ref["name"], "namespace": namespace, "uid": ref["uid"]},
        "spec": {},
        "status": {},
    }
