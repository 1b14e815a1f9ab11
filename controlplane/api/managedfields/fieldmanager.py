"""`metadata.managedFields`: who set which field, kept by every write as a real server does.

After k8s.io/apimachinery/pkg/util/managedfields/internal (fieldmanager.go,
managedfields.go, stripmeta.go, conflict.go) and sigs.k8s.io/structured-merge-diff's
merge/update.go (`Updater.Update`, `Updater.Apply`, `prune`):

- an Update (create, PUT, PATCH, a controller's write) gives its manager the fields it added
  or changed, and takes them from every other manager;
- an Apply makes its manager own exactly the fields of its configuration; the fields it
  owned before and left out are removed from the object unless another manager owns them;
  changing a field another manager owns is a conflict (409) unless `force` takes it over.

Entries are identified by manager, operation and subresource; they are written sorted as
upstream's `sortEncodedManagedFields` does (operation, time, manager, subresource).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from controlplane.api.errors import ApiError, FieldError
from controlplane.api.managedfields import fieldpath
from controlplane.api.managedfields.fieldpath import Set
from controlplane.api.managedfields.shape import shape_of
from controlplane.api.managedfields.typed import MISSING, compare, field_set, merge, remove
from controlplane.models.constants import Obj

APPLY = "Apply"
UPDATE = "Update"
FIELD_MANAGER_CONFLICT = "FieldManagerConflict"

# stripmeta.go: what no manager owns (the server sets it, or it names the object).
_STRIPPED: Set = fieldpath.from_fields_v1(
    {
        "f:apiVersion": {},
        "f:kind": {},
        "f:metadata": {
            ".": {},
            "f:name": {},
            "f:namespace": {},
            "f:creationTimestamp": {},
            "f:selfLink": {},
            "f:uid": {},
            "f:generation": {},
            "f:managedFields": {},
            "f:resourceVersion": {},
            "f:deletionTimestamp": {},
            "f:deletionGracePeriodSeconds": {},
        },
    }
)
# The strategies' GetResetFields: the main resource does not write status, and the status
# subresource writes nothing but status (registry/apps/deployment/strategy.go and others).
_STATUS: Set = {"f:status": fieldpath.member()}


@dataclass(frozen=True)
class Manager:
    """The identity of one managedFields entry (BuildManagerIdentifier)."""

    name: str
    operation: str
    subresource: str = ""

    def describe(self, api_version: str) -> str:
        """conflict.go printManager: `"kubectl-edit" using apps/v1`."""
        text = f'"{self.name}"'
        if self.subresource:
            text += f' with subresource "{self.subresource}"'
        if self.operation == UPDATE:
            text += f" using {api_version}"
        return text


def _owned(obj: Obj) -> dict[Manager, tuple[Set, dict[str, Any]]]:
    """The managers of `obj`, each with its set and its entry."""
    return _decode(obj.get("metadata", {}).get("managedFields"))


_UNREAD: Set = {}  # an entry's set that a write cannot touch is left encoded


def _decode(
    entries: list[dict[str, Any]] | None,
    wanted: Callable[[Manager, dict[str, Any]], bool] = lambda _m, _e: True,
) -> dict[Manager, tuple[Set, dict[str, Any]]]:
    """Each entry's manager, set and entry; sets of entries not `wanted` stay `_UNREAD`."""
    out = {}
    for entry in entries or []:
        manager = Manager(
            entry.get("manager", ""), entry.get("operation", ""), entry.get("subresource", "")
        )
        fields = (
            fieldpath.from_fields_v1(entry.get("fieldsV1")) if wanted(manager, entry) else _UNREAD
        )
        out[manager] = (fields, entry)
    return out


def _entry(manager: Manager, fields: Set, api_version: str, time: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "manager": manager.name,
        "operation": manager.operation,
        "apiVersion": api_version,
        "time": time,
        "fieldsType": "FieldsV1",
        "fieldsV1": fieldpath.to_fields_v1(fields),
    }
    if manager.subresource:
        entry["subresource"] = manager.subresource
    return entry


def _tracked(fields: Set, subresource: str) -> Set:
    fields = fieldpath.difference(fields, _STRIPPED)
    if subresource == "status":
        return {"f:status": fields["f:status"]} if "f:status" in fields else {}
    return fieldpath.difference(fields, _STATUS)


def _store(
    obj: Obj,
    owned: dict[Manager, tuple[Set, dict[str, Any]]],
    changed: dict[Manager, Set],
    api_version: str,
    now: str,
    writer: Manager | None = None,
) -> None:
    """Write the entries: changed sets get a new entry, the others stay as they were. Only
    the `writer` gets the time `now` (managedfieldsupdater.go); the others keep theirs."""
    entries = [entry for manager, (_set, entry) in owned.items() if manager not in changed]
    for manager, fields in changed.items():
        if fields:
            time = now if manager == writer else owned.get(manager, ({}, {}))[1].get("time", now)
            entries.append(_entry(manager, fields, api_version, time))
    entries.sort(
        key=lambda e: (e["operation"], e.get("time") or "", e["manager"], e.get("subresource", ""))
    )
    if entries:
        obj["metadata"]["managedFields"] = entries
    else:
        obj["metadata"].pop("managedFields", None)


def update(old: Obj | None, new: Obj, name: str, time: str, subresource: str = "") -> None:
    """Record an Update by `name` in `new`'s managedFields (`old` is None on create)."""
    before = MISSING if old is None else _without_managed_fields(old)
    comparison = compare(before, _without_managed_fields(new), shape_of(new["kind"]))
    changed_fields = _tracked(comparison.changed(), subresource)
    removed = _tracked(comparison.removed, subresource)
    # A writer that sends other managedFields replaces them (kubectl does, to migrate
    # client-side-apply ownership); one that sends none keeps the stored ones.
    sent = new["metadata"].get("managedFields")
    previous = None if old is None else old["metadata"].get("managedFields")
    entries = sent if sent is not None and sent != previous else previous
    if not changed_fields and not removed:
        if entries:
            new["metadata"]["managedFields"] = entries
        else:
            new["metadata"].pop("managedFields", None)
        return
    me = Manager(name, UPDATE, subresource)
    touched = changed_fields.keys() | removed.keys()
    owned = _decode(
        entries, lambda m, e: m == me or not touched.isdisjoint(e.get("fieldsV1") or ())
    )
    changed: dict[Manager, Set] = {}
    for manager, (fields, _entry) in owned.items():
        if manager == me or fields is _UNREAD:
            continue
        kept = fieldpath.difference(fieldpath.difference(fields, changed_fields), removed)
        if kept != fields:
            changed[manager] = kept
    mine = owned.get(me, ({}, {}))[0]
    changed[me] = fieldpath.difference(fieldpath.union(mine, changed_fields), removed)
    _store(new, owned, changed, new["apiVersion"], time, me)


def _without_managed_fields(obj: Obj) -> Obj:
    meta = obj.get("metadata")
    if not meta or "managedFields" not in meta:
        return obj
    return {**obj, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}


class ApplyConflict(ApiError):
    """409 Conflict with a FieldManagerConflict cause per field (errors.NewApplyConflict)."""

    def __init__(self, conflicts: list[tuple[str, str]]) -> None:
        self.conflicts = conflicts  # (manager as printManager prints it, field path)
        causes = tuple(
            FieldError(path, FIELD_MANAGER_CONFLICT, detail=f"conflict with {manager}")
            for manager, path in conflicts
        )
        super().__init__("Conflict", 409, conflict_message(conflicts), causes=causes)

    def status(self) -> dict[str, Any]:
        """NewApplyConflict's details carry the causes alone: no kind, no name."""
        status = super().status()
        status["details"] = {"causes": status["details"]["causes"]}
        return status


def conflict_message(conflicts: list[tuple[str, str]]) -> str:
    """internal/conflict.go getConflictMessage."""
    if len(conflicts) == 1:
        manager, path = conflicts[0]
        return f"Apply failed with 1 conflict: conflict with {manager}: {path}"
    by_manager: dict[str, list[str]] = {}
    for manager, path in conflicts:
        by_manager.setdefault(manager, []).append(path)
    lines = []
    for manager in sorted(by_manager):
        lines.append(f"conflicts with {manager}:")
        lines.extend(f"- {path}" for path in by_manager[manager])
    return f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)


def apply(live: Obj | None, config: Obj, name: str, force: bool, time: str) -> Obj:
    """The object after `name` applies `config` to `live` (None: it does not exist yet),
    with its managedFields; ApplyConflict when it would change others' fields unforced."""
    kind = config["kind"]
    shape = shape_of(kind)
    base = {} if live is None else _without_managed_fields(live)
    config = _without_managed_fields(config)
    merged: Obj = merge(base, config, shape)
    owned = _owned(live) if live is not None else {}
    me = Manager(name, APPLY)
    applied = _tracked(field_set(config, shape), "")
    last = owned.get(me, ({}, {}))[0]
    others = {m: fields for m, (fields, _e) in owned.items() if m != me}
    if last:
        keep: Set = applied
        for fields in others.values():
            keep = fieldpath.union(keep, fields)
        merged = remove(merged, _prunable(last, keep), shape)
    comparison = compare(MISSING if live is None else base, merged, shape)
    changed_fields = _tracked(comparison.changed(), "")
    removed = _tracked(comparison.removed, "")
    conflicts: list[tuple[str, str]] = []
    changed: dict[Manager, Set] = {}
    for manager, fields in others.items():
        clash = fieldpath.intersection(fields, changed_fields)
        if clash and not force:
            api_version = owned[manager][1].get("apiVersion", "")
            conflicts.extend(
                (manager.describe(api_version), fieldpath.path_string(path))
                for path in fieldpath.members(clash)
            )
        kept = fieldpath.difference(fieldpath.difference(fields, clash), removed)
        if kept != fields:
            changed[manager] = kept
    if conflicts:
        raise ApplyConflict(conflicts)
    changed[me] = applied
    merged.setdefault("metadata", {})
    # an apply that leaves the object as it was keeps its entry's time
    writer = None if live is not None and merged == base else me
    _store(merged, owned, changed, config.get("apiVersion", ""), time, writer)
    return merged


def _prunable(last: Set, keep: Set) -> Set:
    """What an applier gave up and nobody keeps; a node someone owns below stays."""
    out: Set = {}
    for element, below in last.items():
        if element == fieldpath.SELF:
            continue
        theirs = keep.get(element)
        if theirs is None:
            out[element] = below
        else:
            rest = _prunable(below, theirs)
            if rest:
                out[element] = rest
    return out
