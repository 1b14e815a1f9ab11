"""What `wait --for=...` waits for: kubectl's conditions, as pure checks of the object.

After staging/src/k8s.io/kubectl/pkg/cmd/wait (wait.go, condition.go, delete.go, create.go,
json.go). Each `--for` value becomes a `Wait`; the command polls and asks `met(obj)`, where
`obj` is the object as now stored or None when it is gone. Messages are kubectl 1.37's.
"""

from __future__ import annotations

from dataclasses import dataclass

from controlplane.models.constants import Obj
from minikubectl.errors import CliError


@dataclass(frozen=True)
class Wait:
    """One `--for`: `kind` is create, delete or condition."""

    kind: str
    name: str = ""  # condition type
    value: str = ""  # the wanted condition status

    def met(self, obj: Obj | None, first_uid: str | None = None) -> bool:
        if self.kind == "delete":
            return obj is None or (first_uid is not None and obj["metadata"]["uid"] != first_uid)
        if obj is None:
            return False
        if self.kind == "create":
            return True
        return condition_met(obj, self.name, self.value)


def condition_met(obj: Obj, name: str, value: str) -> bool:
    """ConditionalWait.checkCondition: the first condition of that type (case-folded) has the
    wanted status, unless it speaks for an older generation than the object's."""
    status = obj.get("status") or {}
    for condition in status.get("conditions") or []:
        if not isinstance(condition, dict):
            return False
        ctype, cstatus = condition.get("type"), condition.get("status")
        if not isinstance(ctype, str) or ctype.casefold() != name.casefold():
            continue
        if not isinstance(cstatus, str):
            continue
        generation = (obj.get("metadata") or {}).get("generation")
        observed = condition.get("observedGeneration", status.get("observedGeneration"))
        if isinstance(generation, int) and isinstance(observed, int) and observed < generation:
            return False
        return cstatus.casefold() == value.casefold()
    return False


def parse_for(values: list[str]) -> list[Wait]:
    """The `--for` flags, create first (kubectl always waits for creation before the rest)."""
    if not values:
        raise CliError("unrecognized condition: []")
    waits: list[Wait] = []
    for value in values:
        if value.lower() in ("delete", "create"):
            waits.append(Wait(value.lower()))
        elif value.startswith("condition="):
            name, _, status = value[len("condition=") :].partition("=")
            waits.append(Wait("condition", name=name, value=status or "true"))
        elif value.startswith("jsonpath="):
            raise CliError("--for=jsonpath is not supported yet: mkctl has no JSONPath engine")
        else:
            raise CliError(f'unrecognized condition: "{value}"')
    return sorted(waits, key=lambda w: w.kind != "create")
