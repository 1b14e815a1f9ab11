"""A CustomResourceDefinition's validation, and a custom resource's by its CRD's schema.

After staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/
validation.go (ValidateCustomResourceDefinition, ...Spec, ...Names, ...SpecUpdate): the
checks of names, group, scope, versions and their schemas' roots. Checks of a schema's
inner structure (structural schema rules: every node typed, no `$ref`) are not made.
"""

from __future__ import annotations

from controlplane.api.crd import cel, structural
from controlplane.api.crd.served import custom
from controlplane.api.errors import FieldError, invalid_value, required, unsupported
from controlplane.api.validation.common import (
    FIELD_IMMUTABLE,
    meta_errors,
    name_is_dns_subdomain,
)
from controlplane.models.constants import Obj
from controlplane.models.identifiers import dns1035_label_errors, dns1123_subdomain_errors


def validate_custom_resource_definition(crd: Obj, old: Obj | None) -> list[FieldError]:
    spec = crd.get("spec") if isinstance(crd.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
    assert isinstance(names, dict)
    group = str(spec.get("group") or "")
    wanted = f"{names.get('plural', '')}.{group}"

    def name_check(name: str, prefix: bool) -> list[str]:
        found = name_is_dns_subdomain(name, prefix)
        return found if name == wanted else [*found, 'must be spec.names.plural+"."+spec.group']

    errs = meta_errors(crd, name_check, namespaced=False, update=old is not None)
    if not group:
        errs.append(required("spec.group"))
    elif dns1123_subdomain_errors(group):
        errs.append(invalid_value("spec.group", group, ",".join(dns1123_subdomain_errors(group))))
    elif len(group.split(".")) < 2:
        errs.append(invalid_value("spec.group", group, "should be a domain with at least one dot"))
    scope = spec.get("scope") or ""
    if not scope:
        errs.append(required("spec.scope"))
    elif scope not in ("Cluster", "Namespaced"):
        errs.append(unsupported("spec.scope", scope, ["Cluster", "Namespaced"]))
    errs += _versions_errors(spec.get("versions") or [])
    for field in ("plural", "singular", "kind", "listKind"):
        if not names.get(field):
            errs.append(required(f"spec.names.{field}"))
    errs += _names_errors(names)
    if old is not None:
        errs += _update_errors(spec, old.get("spec") or {})
    return errs


def _versions_errors(versions: list[Obj]) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, version in enumerate(versions):
        name = str(version.get("name") or "")
        if found := dns1035_label_errors(name):
            errs.append(invalid_value(f"spec.versions[{i}].name", name, ",".join(found)))
        seen.add(name)
        schema = (version.get("schema") or {}).get("openAPIV3Schema")
        path = f"spec.versions[{i}].schema.openAPIV3Schema"
        if schema is None:
            errs.append(required(path, "schemas are required"))
        elif schema.get("type") != "object":
            errs.append(
                required(f"{path}.type", "must not be empty at the root")
                if not schema.get("type")
                else invalid_value(f"{path}.type", schema["type"], "must be object at the root")
            )
    if len(seen) != len(versions):
        errs.append(invalid_value("spec.versions", versions, "must contain unique version names"))
    if sum(1 for v in versions if v.get("storage")) != 1:
        errs.append(
            invalid_value(
                "spec.versions", versions, "must have exactly one version marked as storage version"
            )
        )
    return errs


def _names_errors(names: Obj) -> list[FieldError]:
    """ValidateCustomResourceDefinitionNames."""
    errs: list[FieldError] = []
    for field in ("plural", "singular"):
        value = str(names.get(field) or "")
        if value and (found := dns1035_label_errors(value)):
            errs.append(invalid_value(f"spec.names.{field}", value, ",".join(found)))
    for field in ("kind", "listKind"):
        value = str(names.get(field) or "")
        if value and (found := dns1035_label_errors(value.lower())):
            errs.append(
                invalid_value(
                    f"spec.names.{field}",
                    value,
                    "may have mixed case, but should otherwise match: " + ",".join(found),
                )
            )
    for field in ("shortNames", "categories"):
        for i, word in enumerate(names.get(field) or []):
            if found := dns1035_label_errors(str(word)):
                errs.append(invalid_value(f"spec.names.{field}[{i}]", word, ",".join(found)))
    if names.get("kind") and names.get("kind") == names.get("listKind"):
        errs.append(
            invalid_value(
                "spec.names.listKind", names["listKind"], "kind and listKind may not be the same"
            )
        )
    return errs


def _update_errors(spec: Obj, old: Obj) -> list[FieldError]:
    """ValidateCustomResourceDefinitionSpecUpdate: an established CRD keeps its scope and
    kind; group and plural never change."""
    errs = []
    for path, new_value, old_value in (
        ("spec.scope", spec.get("scope"), old.get("scope")),
        (
            "spec.names.kind",
            (spec.get("names") or {}).get("kind"),
            (old.get("names") or {}).get("kind"),
        ),
        ("spec.group", spec.get("group"), old.get("group")),
        (
            "spec.names.plural",
            (spec.get("names") or {}).get("plural"),
            (old.get("names") or {}).get("plural"),
        ),
    ):
        if new_value != old_value:
            errs.append(invalid_value(path, new_value, FIELD_IMMUTABLE))
    return errs


# --- custom resources -----------------------------------------------------------------------


def validate_custom_resource(obj: Obj, old: Obj | None) -> list[FieldError]:
    """customResourceStrategy.Validate: ObjectMeta as every kind's, then the schema."""
    resource = custom(str(obj.get("kind", "")))
    if resource is None:
        return []
    check = name_is_dns_subdomain
    errs = meta_errors(obj, check, namespaced=resource.info.namespaced, update=old is not None)
    errs += structural.validate(obj, resource.storage.schema)
    if any(" must be of type " in e.detail for e in errs):  # hasBlockingErr: no CEL then
        return errs
    return errs + cel.rule_errors(obj, resource.storage.schema, old)
