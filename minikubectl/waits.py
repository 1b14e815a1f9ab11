"""What `wait --for=...` waits for: kubectl's conditions, as pure checks of the object.

After staging/src/k8s.io/kubectl/pkg/cmd/wait (wait.go, condition.go, delete.go, create.go,
json.go). Each `--for` value becomes a `Wait`; the command polls and asks `met(obj)`, where
`obj` is the object as now stored or None when it is gone. Messages are kubectl 1.37's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from controlplane.models.constants import Obj
from minikubectl.errors import CliError

JSONPATH_FORMAT = (
    "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
    "--for=jsonpath='{.status.readyReplicas}'"
)
JSONPATH_NO_VALUE = (
    "jsonpath wait has to have a value after equal sign, like "
    "--for=jsonpath='{.status.readyReplicas}'=3"
)


@dataclass(frozen=True)
class Wait:
    """One `--for`: `kind` is create, delete, condition or jsonpath."""

    kind: str
    name: str = ""  # condition type
    value: str = ""  # the wanted condition status or JSONPath value ("" = any value)
    program: Any = None  # the parsed JSONPath of a jsonpath wait

    def met(self, obj: Obj | None, first_uid: str | None = None) -> bool:
        if self.kind == "delete":
            return obj is None or (first_uid is not None and obj["metadata"]["uid"] != first_uid)
        if obj is None:
            return False
        if self.kind == "create":
            return True
        if self.kind == "jsonpath":
            return jsonpath_met(obj, self.program, self.value)
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


def jsonpath_met(obj: Obj, program: Any, value: str) -> bool:
    """JSONPathWait.checkCondition: one scalar found, and equal to `value` (or any value)."""
    from minikubectl.printers import jsonpath
    from minikubectl.printers.gofmt import sprint

    try:
        results = jsonpath.execute(program, obj)
    except jsonpath.JSONPathError as exc:
        raise CliError(str(exc)) from exc
    if not results or not results[0]:
        return False
    if len(results) > 1:
        raise CliError("given jsonpath expression matches more than one list")
    if len(results[0]) > 1:
        raise CliError("given jsonpath expression matches more than one value")
    if not value:
        return True
    found = results[0][0]
    if isinstance(found, dict | list):
        raise CliError("jsonpath leads to a nested object or list which is not supported")
    return bool(sprint(found).strip() == value.strip())


def split_jsonpath_input(text: str) -> list[str]:
    """splitJSONPathInput: split on single '=', keeping '==' (filters) together."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "=" and text[i + 1 : i + 2] == "=":
            current.append("==")
            i += 2
            continue
        if text[i] == "=":
            parts.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    return [*parts, "".join(current)]


def _jsonpath_wait(text: str) -> Wait:
    """processJSONPathInput, then newJSONPathParser, with their errors in their order."""
    from minikubectl.printers import jsonpath
    from minikubectl.printers.customcolumns import relaxed_jsonpath

    parts = split_jsonpath_input(text)
    if len(parts) > 2:
        raise CliError(JSONPATH_FORMAT)
    expression = relaxed_jsonpath(parts[0])
    value = ""
    if len(parts) == 2:
        value = parts[1].strip("'\"")
        if not value:
            raise CliError(JSONPATH_NO_VALUE)
    if not expression:
        raise CliError("jsonpath expression cannot be empty")
    try:
        program = jsonpath.parse(expression)
    except jsonpath.JSONPathError as exc:
        raise CliError(str(exc)) from exc
    return Wait("jsonpath", value=value, program=program)


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
            waits.append(_jsonpath_wait(value[len("jsonpath=") :]))
        else:
            raise CliError(f'unrecognized condition: "{value}"')
    return sorted(waits, key=lambda w: w.kind != "create")
