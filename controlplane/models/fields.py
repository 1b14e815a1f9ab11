"""Field selectors (`--field-selector status.phase=Running`): grammar, errors and fields per kind.

A field selector is a comma-separated list of `field=value`, `field==value` or `field!=value`
terms, ANDed; `\\,`, `\\=` and `\\\\` escape those characters in values. The server then
converts each field through the kind's field-label conversion, which is where unsupported
fields are refused. Both steps and their messages are ported from apimachinery
`pkg/fields/selector.go` and the conversion funcs in kubernetes `pkg/apis/core/v1/conversion.go`
(Pod, Node, Event, Namespace, Secret, Service); kinds without their own conversion
(Deployment, ReplicaSet) use `runtime.DefaultMetaV1FieldSelectorConversion` (see kubernetes
issue #135136: apps/v1 ReplicaSets do not accept `status.replicas`). The values a field is
matched against come from each kind's `ToSelectableFields` in `pkg/registry/*/strategy.go`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from controlplane.models.constants import Obj

_OPERATORS = ("!=", "==", "=")  # `==` before `=` so that no `=` is left on the value


class FieldSelectorError(ValueError):
    """A selector the API server refuses; the text is apimachinery's."""


@dataclass(frozen=True)
class Term:
    field: str
    value: str
    negated: bool  # `!=`

    def matches(self, fields: Mapping[str, str]) -> bool:
        return (fields.get(self.field, "") == self.value) != self.negated


def _split_terms(text: str) -> list[str]:
    """splitTerms: split on commas that are not escaped."""
    if not text:
        return []
    terms: list[str] = []
    start, escaped = 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _unescape(value: str) -> str:
    """UnescapeValue: `\\\\`, `\\,` and `\\=` only; a bare `,` or `=` is an error."""
    out: list[str] = []
    escaped = False
    for ch in value:
        if escaped:
            if ch not in "\\,=":
                raise FieldSelectorError(f"invalid field selector: invalid escape sequence: \\{ch}")
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",=":  # Go prints the rune with %v: its number
            raise FieldSelectorError(
                f"invalid field selector: unescaped character in value: {ord(ch)}"
            )
        else:
            out.append(ch)
    if escaped:
        raise FieldSelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def parse(text: str) -> list[Term]:
    """fields.ParseSelector: terms sorted as upstream sorts them; [] selects everything."""
    terms: list[Term] = []
    for part in sorted(_split_terms(text)):
        if not part:
            continue
        for i in range(len(part)):
            op = next((o for o in _OPERATORS if part.startswith(o, i)), None)
            if op is not None:
                lhs, rhs = part[:i], part[i + len(op) :]
                terms.append(Term(lhs, _unescape(rhs), op == "!="))
                break
        else:
            raise FieldSelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
    return terms


# --- Which fields each kind accepts, and their values ---


def _meta(obj: Obj) -> dict[str, Any]:
    meta: dict[str, Any] = obj.get("metadata") or {}
    return meta


def _bool(value: Any) -> str:
    return "true" if value else "false"


def _pod_fields(pod: Obj) -> dict[str, str]:
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    ips = status.get("podIPs") or []
    return {
        "spec.nodeName": spec.get("nodeName") or "",
        "spec.restartPolicy": spec.get("restartPolicy") or "",
        "spec.schedulerName": spec.get("schedulerName") or "",
        "spec.serviceAccountName": spec.get("serviceAccountName") or "",
        "spec.hostNetwork": _bool(spec.get("hostNetwork")),
        "status.phase": status.get("phase") or "",
        "status.podIP": (ips[0].get("ip") if ips else "") or "",
        "status.nominatedNodeName": status.get("nominatedNodeName") or "",
    }


def _node_fields(node: Obj) -> dict[str, str]:
    return {"spec.unschedulable": _bool((node.get("spec") or {}).get("unschedulable"))}


def _namespace_fields(ns: Obj) -> dict[str, str]:
    return {"status.phase": (ns.get("status") or {}).get("phase") or ""}


def _event_fields(event: Obj) -> dict[str, str]:
    involved = event.get("involvedObject") or {}
    fields = {
        f"involvedObject.{key}": str(involved.get(key) or "")
        for key in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion")
    }
    fields["involvedObject.fieldPath"] = str(involved.get("fieldPath") or "")
    fields["reason"] = str(event.get("reason") or "")
    fields["reportingComponent"] = str(event.get("reportingComponent") or "")
    fields["source"] = str((event.get("source") or {}).get("component") or "")
    fields["type"] = str(event.get("type") or "")
    return fields


def _secret_fields(secret: Obj) -> dict[str, str]:
    """pkg/registry/core/secret/strategy.go SelectableFields: the type."""
    return {"type": str(secret.get("type") or "")}


def _service_fields(service: Obj) -> dict[str, str]:
    """pkg/registry/core/service/strategy.go SelectableFields: the cluster IP and the type."""
    spec = service.get("spec") or {}
    return {
        "spec.clusterIP": str(spec.get("clusterIP") or ""),
        "spec.type": str(spec.get("type") or ""),
    }


@dataclass(frozen=True)
class _KindFields:
    accepted: frozenset[str]  # what the kind's field-label conversion lets through
    values: Callable[[Obj], dict[str, str]]
    renamed: Mapping[str, str]  # old spellings the conversion rewrites
    default_conversion: bool  # DefaultMetaV1FieldSelectorConversion (its own message)


def _no_fields(_obj: Obj) -> dict[str, str]:
    return {}


_KINDS = {
    "Pod": _KindFields(
        frozenset(
            {
                "metadata.name",
                "metadata.namespace",
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "spec.hostNetwork",
                "status.phase",
                "status.podIP",
                "status.podIPs",
                "status.nominatedNodeName",
            }
        ),
        _pod_fields,
        {"spec.host": "spec.nodeName"},
        False,
    ),
    "Node": _KindFields(
        frozenset({"metadata.name", "spec.unschedulable"}), _node_fields, {}, False
    ),
    "Namespace": _KindFields(
        frozenset({"metadata.name", "status.phase"}), _namespace_fields, {}, False
    ),
    "Event": _KindFields(
        frozenset(
            {
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type",
                "metadata.namespace",
                "metadata.name",
            }
        ),
        _event_fields,
        {},
        False,
    ),
    # pkg/apis/core/v1/conversion.go AddFieldLabelConversionsForSecret.
    "Secret": _KindFields(
        frozenset({"type", "metadata.namespace", "metadata.name"}), _secret_fields, {}, False
    ),
    # AddFieldLabelConversionsForService.
    "Service": _KindFields(
        frozenset({"metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"}),
        _service_fields,
        {},
        False,
    ),
}
_DEFAULT = _KindFields(frozenset({"metadata.name", "metadata.namespace"}), _no_fields, {}, True)


def convert(kind: str, terms: list[Term]) -> list[Term]:
    """The kind's field-label conversion of every term; the first refused field raises."""
    rules = _KINDS.get(kind, _DEFAULT)
    converted: list[Term] = []
    for term in terms:
        field = rules.renamed.get(term.field, term.field)
        if term.field not in rules.accepted and term.field not in rules.renamed:
            if rules.default_conversion:
                raise FieldSelectorError(
                    f'"{term.field}" is not a known field selector: only "metadata.name", '
                    '"metadata.namespace"'
                )
            raise FieldSelectorError(f"field label not supported: {term.field}")
        converted.append(Term(field, term.value, term.negated))
    return converted


def matches(kind: str, terms: list[Term], obj: Obj) -> bool:
    """Whether `obj` satisfies every (converted) term."""
    if not terms:
        return True
    meta = _meta(obj)
    fields = {"metadata.name": meta.get("name") or "", **_KINDS.get(kind, _DEFAULT).values(obj)}
    if meta.get("namespace"):
        fields["metadata.namespace"] = meta["namespace"]
    for term in terms:
        if term.field == "status.podIPs":  # any of the pod's IPs
            ips = {i.get("ip") for i in (obj.get("status") or {}).get("podIPs") or []}
            if (term.value in ips) == term.negated:
                return False
        elif not term.matches(fields):
            return False
    return True
