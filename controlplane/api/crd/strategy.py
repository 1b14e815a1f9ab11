"""The rules of CustomResourceDefinitions and of custom resources
(staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresourcedefinition/
strategy.go and etcd.go; pkg/registry/customresource/strategy.go).

A CRD's names are accepted and the CRD established in the write that creates it: upstream's
NamingConditionController and EstablishingController do it within moments, mkctl at once,
so its kind is served as soon as the create returns. A name another served kind already
uses is not accepted (NamesAccepted False, KindConflict or PluralConflict) and the CRD is not
established, as the naming controller does within a group; mkctl also refuses a kind a
built-in resource or another group's CRD uses, since it keys objects by kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from controlplane.api.crd.definitions import CustomResource
from controlplane.api.registry import KINDS
from controlplane.api.strategy.generic import Strategy
from controlplane.models.conditions import Condition, get_condition, set_condition
from controlplane.models.constants import FINALIZER_CUSTOM_RESOURCE_CLEANUP, Kind, Obj

if TYPE_CHECKING:
    from controlplane.ids import Ids
    from controlplane.store.reader import Reader


class CustomResourceDefinitionStrategy(Strategy):
    has_generation = True

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}

    def keep_on_update(self, obj: Obj, stored: Obj) -> None:
        obj["status"] = stored.get("status") or {}

    def allocate(self, reader: Reader, obj: Obj, stored: Obj | None, ids: Ids) -> None:
        """The naming and establishing controllers' status, computed in the write."""
        status = obj.setdefault("status", {})
        names = obj["spec"]["names"]
        stamp = (stored or obj)["metadata"].get("creationTimestamp", "")
        conflict = _name_conflict(reader, obj)
        if conflict:
            reason, message = conflict
            _set(status, "NamesAccepted", "False", reason, message, stamp)
            if get_condition(status, "Established") is None:
                _set(
                    status,
                    "Established",
                    "False",
                    "NotAccepted",
                    "not all names are accepted",
                    stamp,
                )
            status.setdefault("acceptedNames", {"plural": "", "kind": ""})
        else:
            status["acceptedNames"] = {k: v for k, v in names.items()}
            _set(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found", stamp)
            _set(
                status,
                "Established",
                "True",
                "InitialNamesAccepted",
                "the initial names have been accepted",
                stamp,
            )
        storage = [v["name"] for v in obj["spec"].get("versions") or [] if v.get("storage")]
        stored_versions = list(status.get("storedVersions") or [])
        status["storedVersions"] = stored_versions + [
            v for v in storage if v not in stored_versions
        ]

    def prepare_for_delete(self, obj: Obj) -> None:
        """etcd.go REST.Delete: the CRD waits for its objects to be deleted (the
        finalizer controller), Terminating meanwhile."""
        meta = obj["metadata"]
        finalizers = list(meta.get("finalizers") or [])
        if FINALIZER_CUSTOM_RESOURCE_CLEANUP not in finalizers:
            meta["finalizers"] = [*finalizers, FINALIZER_CUSTOM_RESOURCE_CLEANUP]
        stamp = meta.get("creationTimestamp", "")
        _set(
            obj.setdefault("status", {}),
            "Terminating",
            "True",
            "InstanceDeletionPending",
            "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
            stamp,
        )


def _set(status: Obj, type_: str, value: str, reason: str, message: str, stamp: str) -> None:
    condition: Condition = {"type": type_, "status": value, "lastTransitionTime": stamp}
    condition |= {"reason": reason, "message": message}
    set_condition(status, condition)


def _name_conflict(reader: Reader, crd: Obj) -> tuple[str, str] | None:
    """pkg/controller/status/naming_controller.go getAcceptedNamesForGroup, widened to
    every served kind: (reason, message) when the plural or kind is taken."""
    names = crd["spec"]["names"]
    group, plural, kind = crd["spec"]["group"], names.get("plural"), names.get("kind")
    name = crd["metadata"].get("name")
    for other in reader.list(Kind.CUSTOM_RESOURCE_DEFINITION):
        if other["metadata"]["name"] == name:
            continue
        accepted = (other.get("status") or {}).get("acceptedNames") or {}
        if other["spec"]["group"] == group and accepted.get("plural") == plural:
            return "PluralConflict", f'"{plural}" is already in use'
        if accepted.get("kind") == kind:
            return "KindConflict", f'"{kind}" is already in use'
    if any(info.kind == kind for info in KINDS):
        return "KindConflict", f'"{kind}" is already in use'
    return None


class CustomResourceStrategy(Strategy):
    """customResourceStrategy: generation counts every change but metadata's (and status's
    when status is a subresource); without a status subresource, status is written with
    the rest of the object."""

    has_generation = True

    def __init__(self, custom: CustomResource) -> None:
        self.status_subresource = custom.storage.status
        self.keeps_status_on_create = not self.status_subresource
        self.status_on_main_resource = not self.status_subresource

    def generation_changes(self, old: Obj, new: Obj) -> bool:
        ignored = {"metadata", "status"} if self.status_subresource else {"metadata"}
        return {k: v for k, v in new.items() if k not in ignored} != {
            k: v for k, v in old.items() if k not in ignored
        }
