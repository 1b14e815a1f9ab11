"""`x-kubernetes-validations`: a custom resource's CEL rules, evaluated with cel-python (the
optional `cel` extra: `pip install 'minikubectl[cel]'`); without it the rules are not
checked. After staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/
validation.go: each rule sees its node as `self` (and, on an update, the stored value as
`oldSelf`: a rule that names `oldSelf` is a transition rule, checked only when there is an
old value); a false rule is `<path>: Invalid value: "<type>": <message>`, the message being
the rule's `message`, its `messageExpression`'s value, or `failed rule: <rule>`; `fieldPath`
and `reason` (FieldValueForbidden, FieldValueRequired, FieldValueDuplicate) shape the error
as upstream. What cel-python evaluates is CEL's standard library (comparisons, `has()`,
`size()`, `all`/`exists`/`map`/`filter`, `matches`, `startsWith`...); Kubernetes' own
libraries (quantities, URLs, IPs, `isSorted`, `format`...), cost budgets and the
`optionalOldSelf` option are not. Rules inside lists are checked without `oldSelf`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from controlplane.api.errors import FieldError
from controlplane.models.constants import Obj

Schema = dict[str, Any]
_REASONS = {
    "FieldValueForbidden": "Forbidden",
    "FieldValueRequired": "Required value",
    "FieldValueDuplicate": "Duplicate value",
}
_META_FIELDS = ("apiVersion", "kind", "metadata")


def available() -> bool:
    try:
        import celpy  # noqa: F401
    except ImportError:
        return False
    return True


def rule_errors(obj: Obj, schema: Schema, old: Obj | None) -> list[FieldError]:
    """Every failed rule of `obj` (an update of `old` when given); [] without cel-python."""
    if "x-kubernetes-validations" not in str(schema) or not available():
        return []
    errs: list[FieldError] = []
    body = {k: v for k, v in obj.items() if k not in _META_FIELDS}
    old_body = None if old is None else {k: v for k, v in old.items() if k not in _META_FIELDS}
    _walk(body, schema, "", old_body, errs)
    return errs


def _walk(value: Any, schema: Schema, path: str, old: Any, errs: list[FieldError]) -> None:
    if value is None:
        return
    for rule in schema.get("x-kubernetes-validations") or []:
        error = _check(rule, value, old, schema, path)
        if error is not None:
            errs.append(error)
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        additional = schema.get("additionalProperties")
        for key in sorted(value):
            sub = properties.get(key) or (additional if isinstance(additional, dict) else None)
            if sub is not None:
                was = old.get(key) if isinstance(old, dict) else None
                _walk(value[key], sub, f"{path}.{key}" if path else key, was, errs)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            _walk(item, schema["items"], f"{path}[{i}]", None, errs)


def _check(rule: Obj, value: Any, old: Any, schema: Schema, path: str) -> FieldError | None:
    from celpy.adapter import json_to_cel
    from celpy.celparser import CELParseError
    from celpy.evaluation import CELEvalError

    text = str(rule.get("rule", ""))
    transition = "oldSelf" in text
    if transition and old is None:
        return None
    where = path + str(rule.get("fieldPath") or "") if path or rule.get("fieldPath") else "<root>"
    where = where.lstrip(".") or "<root>"
    activation = {"self": json_to_cel(value)}
    if transition:
        activation["oldSelf"] = json_to_cel(old)
    type_name = schema.get("type") or "object"
    try:
        passed = bool(_program(text).evaluate(activation))
    except (CELEvalError, CELParseError) as exc:
        return FieldError(where, "Invalid value", type_name, f"rule evaluation error: {exc}")
    if passed:
        return None
    message = str(rule.get("message") or "") or _message_expression(rule, activation)
    message = message or f"failed rule: {text.strip()}"
    kind = _REASONS.get(str(rule.get("reason") or ""))
    if kind is not None:
        return FieldError(where, kind, detail=message)
    return FieldError(where, "Invalid value", type_name, message)


def _message_expression(rule: Obj, activation: dict[str, Any]) -> str:
    from celpy.celparser import CELParseError
    from celpy.evaluation import CELEvalError

    expression = rule.get("messageExpression")
    if not expression:
        return ""
    try:
        return str(_program(str(expression)).evaluate(activation))
    except (CELEvalError, CELParseError):
        return ""


@cache
def _program(text: str) -> Any:
    import celpy

    environment = celpy.Environment()
    return environment.program(environment.compile(text))
