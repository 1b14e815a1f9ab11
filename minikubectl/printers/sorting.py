"""`--sort-by=PATH`: kubectl's ordering of objects by one JSONPath field (pkg/cmd/get/sorter.go).

Objects are compared on the first value the path finds: integers and floats numerically,
strings that both parse as quantities (`100m`, `2Gi`) as quantities and other strings byte by
byte (`web-10` before `web-2`: kubectl 1.37 no longer sorts strings naturally, as older
sorter.go sources suggest); an object without the field sorts first. Maps, lists
and mixed types cannot be compared, and kubectl then exits through klog.Fatal. The sort is
Go's `sort.Sort` (see `gosort`), so ties keep kubectl's order.

kubectl sorts in two places with different error handling, both reproduced here: generic
printers (`-o name|json|jsonpath|custom-columns`) sort the list and report a bad path, while
tables sort each kind's rows inside the printer, whose errors kubectl drops (the table is then
simply not printed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from controlplane.models import quantity
from controlplane.models.constants import Obj
from minikubectl.errors import CliError, klog
from minikubectl.printers import gosort, jsonpath
from minikubectl.printers.customcolumns import relaxed_jsonpath
from minikubectl.printers.gofmt import go_number

_MISSING = object()


class Unsortable(CliError):
    """klog.Exitf in RuntimeSort.Less: a fatal log line, exit code 1."""

    def __init__(self, path: str, holder: str, error: str) -> None:
        message = f"Field {path} in {holder} is an unsortable type: interface, err: {error}"
        super().__init__(klog("F", "sorter.go:329", message), prefixed=False)


def _go_type(value: Any) -> str:
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "bool" if isinstance(value, bool) else type(value).__name__


def _quantity(value: Any) -> Any:
    """The quantity a string key parses as (compared as such when both sides parse), or None."""
    if not isinstance(value, str):
        return None
    try:
        return quantity.parse(value).value
    except ValueError:
        return None


class _Keyed:
    __slots__ = ("key", "obj", "quantity")

    def __init__(self, obj: Obj, key: Any) -> None:
        self.obj = obj
        self.key = key
        self.quantity = _quantity(key)


def _is_less(a: _Keyed, b: _Keyed) -> bool:
    """isLess for two keys of unstructured objects; ValueError(message) if unsortable."""
    x, y = a.key, b.key
    if x is None or y is None:
        return x is None and y is not None
    if isinstance(x, bool | dict | list):
        raise ValueError(f"unsortable type: {_go_type(x)}")
    if type(x) is not type(y) or isinstance(y, bool):
        raise ValueError("unsortable interface: interface")
    if a.quantity is not None and b.quantity is not None:
        return bool(a.quantity < b.quantity)
    return bool(x < y)


def _keys(program: jsonpath.Program, objects: Sequence[Obj]) -> list[_Keyed]:
    keyed = []
    for obj in objects:
        results = jsonpath.execute(program, obj)
        keyed.append(_Keyed(obj, go_number(results[0][0]) if results and results[0] else _MISSING))
    return keyed


def _sorted(keyed: list[_Keyed], path: str, holder: str) -> list[Obj]:
    def less(i: _Keyed, j: _Keyed) -> bool:
        if i.key is _MISSING:
            return True
        if j.key is _MISSING:
            return False
        try:
            return _is_less(i, j)
        except ValueError as exc:
            raise Unsortable(path, holder, str(exc)) from exc

    gosort.sort(keyed, less)
    return [k.obj for k in keyed]


def sort_objects(objects: Sequence[Obj], field: str) -> list[Obj]:
    """SortObjects, for generic printers: a bad path or a field no object has is an error."""
    path = relaxed_jsonpath(field)
    try:
        keyed = _keys(jsonpath.parse(path), objects)
    except jsonpath.JSONPathError as exc:
        raise CliError(str(exc)) from exc
    if objects and all(k.key is _MISSING for k in keyed):
        raise CliError(f'couldn\'t find any field with path "{path}" in the list of objects')
    return _sorted(keyed, path, "*unstructured.Unstructured")


def sort_rows(objects: Sequence[Obj], field: str) -> list[Obj] | None:
    """TableSorter for one kind's table; None where kubectl's printer fails (and prints nothing)."""
    if len(objects) <= 1:
        return list(objects)
    try:
        path = relaxed_jsonpath(field)
    except CliError:
        path = field
    try:
        keyed = _keys(jsonpath.parse(path), objects)
    except jsonpath.JSONPathError:
        return None
    if all(k.key is _MISSING for k in keyed):
        return None
    return _sorted(keyed, path, "[][][]reflect.Value")


TABLE = {"apiVersion": "meta.k8s.io/v1", "kind": "Table", "metadata": {"resourceVersion": ""}}


def sort_tables(field: str) -> None:
    """kubectl's RuntimeSorter when a get holds several tables (`get pods,rs`, `get pod a b`).

    It sorts the Table objects themselves (they are not decoded yet), so a path into the
    listed objects is found in none of them and the command fails before printing.
    """
    sort_objects([TABLE], field)
