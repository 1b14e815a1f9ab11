"""kubectl's move from client-side to server-side apply (k8s.io/client-go/util/csaupgrade,
`UpgradeManagedFields`): after a server-side apply, the fields that client-side apply wrote
(an Update by `kubectl-client-side-apply`) are handed to the applier's Apply entry, so the
next apply owns them and can remove them, exactly as if they had been applied server-side.
"""

from __future__ import annotations

import copy
from typing import Any

from controlplane.api.managedfields import fieldpath
from controlplane.api.managedfields.fieldmanager import APPLY, UPDATE
from controlplane.models.constants import Obj

# staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go: the managers whose Updates are migrated
CSA_MANAGERS = ("kubectl-client-side-apply", "before-first-apply")


def _is(entry: dict[str, Any], manager: str, operation: str) -> bool:
    return (
        entry.get("manager") == manager
        and entry.get("operation") == operation
        and not entry.get("subresource")
    )


def upgrade_managed_fields(obj: Obj, ssa_manager: str) -> list[dict[str, Any]] | None:
    """The managedFields with every CSA manager's Update folded into `ssa_manager`'s Apply
    entry (the first CSA entry becomes that entry when there is none), or None when no CSA
    entry is left to move."""
    entries = copy.deepcopy(obj.get("metadata", {}).get("managedFields") or [])
    changed = False
    for csa in CSA_MANAGERS:
        mine = [e for e in entries if _is(e, ssa_manager, APPLY)]
        theirs = [e for e in entries if _is(e, csa, UPDATE)]
        if not theirs:
            continue
        changed = True
        if mine:
            target = mine[0]
        else:
            target = theirs[0]
            target["manager"], target["operation"] = ssa_manager, APPLY
        fields = fieldpath.from_fields_v1(target.get("fieldsV1"))
        for entry in theirs:
            fields = fieldpath.union(fields, fieldpath.from_fields_v1(entry.get("fieldsV1")))
        target["fieldsV1"] = fieldpath.to_fields_v1(fields)
        entries = [e for e in entries if e is target or not _is(e, csa, UPDATE)]
    return entries if changed else None


def upgrade_patch(obj: Obj, ssa_manager: str) -> list[dict[str, Any]] | None:
    """`UpgradeManagedFieldsPatch`: the JSON patch kubectl sends, locked on resourceVersion."""
    entries = upgrade_managed_fields(obj, ssa_manager)
    if entries is None:
        return None
    return [
        {"op": "replace", "path": "/metadata/managedFields", "value": entries},
        {
            "op": "replace",
            "path": "/metadata/resourceVersion",
            "value": obj["metadata"]["resourceVersion"],
        },
    ]
