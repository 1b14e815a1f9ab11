"""Which objects a list or watch request selects: its label and field selectors, parsed once
into a predicate.

The API server checks both as it decodes a list or watch request (label selector, then field
selector, then the kind's field-label conversion), so errors are 400 BadRequest before
anything is read; `SelectionPredicate.Matches` in
staging/src/k8s.io/apiserver/pkg/storage/selection_predicate.go then filters each object.
A request without selectors imports none of the parsers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from controlplane.api import errors
from controlplane.models.constants import Obj

Predicate = Callable[[Obj], bool]


def predicate(
    kind: str,
    label_selector: Mapping[str, Any] | str | None,
    field_selector: str | None,
) -> Predicate | None:
    """The test an object must pass, or None when the request selects everything."""
    if label_selector is None and not field_selector:
        return None
    from controlplane.models import fields, selector_parser, selectors

    try:
        selector = (
            None
            if label_selector is None
            else selector_parser.parse(label_selector)
            if isinstance(label_selector, str)
            else selectors.from_label_selector(label_selector)
        )
        field_terms = fields.convert(kind, fields.parse(field_selector or ""))
    except (selectors.SelectorError, fields.FieldSelectorError) as exc:
        raise errors.bad_request(str(exc)) from exc
    if selector is None and not field_terms:
        return None

    def matches(obj: Obj) -> bool:
        return (
            selector is None or selector.matches(obj["metadata"].get("labels") or {})
        ) and fields.matches(kind, field_terms, obj)

    return matches
