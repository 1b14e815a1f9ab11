"""Client-side apply: kubectl's three-way strategic merge patch.

`kubectl apply` (kubectl pkg/cmd/apply/patcher.go) compares three versions of an object:

- `original`: the manifest applied last time, read back from the
  `kubectl.kubernetes.io/last-applied-configuration` annotation (None when absent);
- `modified`: the manifest being applied now (kubectl has already put the new
  last-applied annotation into it, so a changed manifest also changes the annotation);
- `current`: the live object, with server defaults, status and other writers' changes.

The patch is apimachinery strategicpatch.CreateThreeWayMergePatch with overwrite on, as kubectl
calls it: "the difference from current to modified without deletions, plus deletions from
original to modified". So a field only the server or another writer set (not in `original`)
survives, a field the user removed from the file is deleted, and every field of the file wins
over the live value (after `scale` to 5, re-applying a file that says 3 sets 3 again).
kubectl sends no PATCH at all, and prints `unchanged`, when the patch is `{}`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

from controlplane.api.patch import (
    DELETE_FROM_PRIMITIVE_LIST,
    NO_METADATA,
    PATCH,
    RETAIN_KEYS,
    SET_ELEMENT_ORDER,
    Field,
    PatchError,
    Schema,
    schema_for,
    strategic_merge_patch,
)
from controlplane.api.registry import KindInfo, is_custom
from controlplane.models.constants import Obj


@dataclass(frozen=True)
class _DiffOptions:
    """patch.go DiffOptions. SetElementOrder is always on for apply, so it is not an option."""

    ignore_deletions: bool = False  # keep only additions and changes (current → modified)
    ignore_changes: bool = False  # keep only deletions (original → modified)
    retain_keys: bool = False  # this map's field has patchStrategy retainKeys


_DELTA = _DiffOptions(ignore_deletions=True)
_DELETIONS = _DiffOptions(ignore_changes=True)


def create_three_way_patch(original: Obj | None, modified: Obj, current: Obj, kind: str) -> Obj:
    """The strategic merge patch `kubectl apply` sends; `{}` means nothing to change."""
    schema = schema_for(kind)
    delta = _diff_maps(current, modified, schema, _DELTA)
    deletions = _diff_maps(original or {}, modified, schema, _DELETIONS)
    return _combine(deletions, delta, schema)


def apply_merge(original: Obj | None, modified: Obj, current: Obj, kind: str) -> Obj:
    """The object a server stores after client-side apply (`current` patched three-way)."""
    return strategic_merge_patch(
        current, create_three_way_patch(original, modified, current, kind), kind
    )


def _type(value: Any) -> str:
    """JSON type, so that a change of type (e.g. map to string) replaces the value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _diff_maps(original: Obj, modified: Obj, schema: Schema, opts: _DiffOptions) -> Obj:
    """patch.go diffMaps: a patch that turns `original` into `modified`, as far as `opts` say."""
    patch: Obj = {}
    retain: list[str] = []
    for key, new in modified.items():
        if opts.retain_keys and new is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes:
                patch[key] = copy.deepcopy(new)
            continue
        old = original[key]
        meta = schema.get(key, NO_METADATA)
        if _type(old) != _type(new):
            if not opts.ignore_changes:
                patch[key] = copy.deepcopy(new)
        elif isinstance(old, dict):
            sub = _diff_maps(old, new, meta.fields, replace(opts, retain_keys=meta.retain_keys))
            if sub:
                patch[key] = sub
        elif isinstance(old, list) and meta.merge:
            _diff_merged_lists(key, old, new, meta, opts, patch)
        elif old != new and not opts.ignore_changes:
            patch[key] = copy.deepcopy(new)
    if not opts.ignore_deletions:
        patch.update({key: None for key in original if key not in modified})
    # `$retainKeys` goes in when the patch says something or `original` has keys to clear.
    # For a Deployment whose file says `strategy: {type: RollingUpdate}` this fires on every
    # apply (the server defaulted `rollingUpdate`), as it does with kubectl (kubernetes#66450).
    extra = any(v is not None and k not in modified for k, v in original.items())
    if retain and (patch or extra):
        patch[RETAIN_KEYS] = sorted(retain)
    return patch


def _diff_merged_lists(
    key: str, old: list[Any], new: list[Any], meta: Field, opts: _DiffOptions, patch: Obj
) -> None:
    """patch.go handleSliceDiff + diffLists for a list with patchStrategy "merge"."""
    if not old:
        if new and not opts.ignore_changes:
            patch[key] = copy.deepcopy(new)
        return
    if all(isinstance(v, dict) for v in [*old, *new]):
        items, order_changed = _diff_lists_of_maps(old, new, meta, opts)
        if items:
            patch[key] = items
        if (not opts.ignore_changes and (items or order_changed)) or (
            not opts.ignore_deletions and items
        ):
            patch[SET_ELEMENT_ORDER + key] = [{meta.merge_key: v[meta.merge_key]} for v in new]
        return
    # Lists of scalars (finalizers): additions in the list, removals in a parallel list.
    added = _unique(v for v in new if v not in old)
    removed = _unique(v for v in old if v not in new)
    if added and not opts.ignore_changes:
        patch[key] = added
    if removed and not opts.ignore_deletions:
        patch[DELETE_FROM_PRIMITIVE_LIST + key] = removed
    if (removed and not opts.ignore_deletions) or (old != new and not opts.ignore_changes):
        patch[SET_ELEMENT_ORDER + key] = copy.deepcopy(new)


def _diff_lists_of_maps(
    old: list[Obj], new: list[Obj], meta: Field, opts: _DiffOptions
) -> tuple[list[Obj], bool]:
    """patch.go diffListsOfMaps: element patches in `new`'s order, then delete directives."""
    key = meta.merge_key
    for item in [*old, *new]:
        if key not in item:
            raise PatchError(f"list element {item} lacks merge key {key!r}")
    old_by_key = {item[key]: item for item in old}
    new_keys = {item[key] for item in new}
    element_opts = replace(opts, retain_keys=meta.retain_keys)
    items: list[Obj] = []
    for item in new:
        if item[key] not in old_by_key:
            if not opts.ignore_changes:
                items.append(copy.deepcopy(item))
            continue
        sub = _diff_maps(old_by_key[item[key]], item, meta.fields, element_opts)
        if sub:
            items.append({key: item[key], **sub})
    if not opts.ignore_deletions:
        items += [{key: o[key], PATCH: "delete"} for o in old if o[key] not in new_keys]
    order_changed = [o[key] for o in old] != [n[key] for n in new]
    return items, order_changed


def _unique(values: Any) -> list[Any]:
    result: list[Any] = []
    for value in values:
        if value not in result:
            result.append(value)
    return result


def _combine(deletions: Obj, delta: Obj, schema: Schema) -> Obj:
    """patch.go mergeMap(deletions, delta) without MergeParallelList: one patch from the two.

    The two never disagree: deletions only name keys absent from `modified`, delta only keys
    present in it; the `$setElementOrder` and `$retainKeys` lists both are built from
    `modified`, so delta's copy is kept.
    """
    for key, value in delta.items():
        current = deletions.get(key)
        meta = schema.get(key, NO_METADATA)
        if isinstance(value, dict) and isinstance(current, dict):
            deletions[key] = _combine(current, value, meta.fields)
        elif isinstance(value, list) and isinstance(current, list) and meta.merge:
            deletions[key] = _combine_lists(current, value, meta)
        else:
            deletions[key] = value
    return deletions


def _combine_lists(deletions: list[Any], delta: list[Any], meta: Field) -> list[Any]:
    if not meta.merge_key:
        return _unique([*deletions, *delta])
    key = meta.merge_key
    merged = list(deletions)
    for item in delta:
        at = next(
            (i for i, o in enumerate(merged) if o.get(key) == item.get(key) and PATCH not in o),
            None,
        )
        if at is None:
            merged.append(item)
        else:
            merged[at] = _combine(merged[at], item, meta.fields)
    # Like kubectl's patches: element patches first, `$patch: delete` directives last.
    return [o for o in merged if PATCH not in o] + [o for o in merged if PATCH in o]


def patch_type_for(info: KindInfo) -> str:
    """kubectl's patcher: a strategic merge patch for a built-in kind, a JSON merge patch for
    a custom one, which has no patch strategies (staging/src/k8s.io/kubectl/pkg/cmd/apply/
    patcher.go, buildMergePatch; the server refuses strategic ones for custom resources).
    Without merge keys the three-way patch computed here is that JSON merge patch."""
    return "merge" if is_custom(info.kind) else "strategic"
