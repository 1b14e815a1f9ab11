"""What decoding does to a CustomResourceDefinition and to a custom resource before
validation: the CRD's defaults (staging/src/k8s.io/apiextensions-apiserver/pkg/apis/
apiextensions/v1/defaults.go, SetDefaults_CustomResourceDefinitionSpec), a custom
resource's pruning and defaulting by its schema (`structural`), and the fields pruning
drops, which `fieldValidation=Strict` refuses and `Warn` names.
"""

from __future__ import annotations

from controlplane.api.crd import structural
from controlplane.api.crd.served import custom
from controlplane.models.constants import Obj


def default_custom_resource_definition(crd: Obj) -> None:
    spec = crd.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    names = spec.setdefault("names", {})
    if isinstance(names, dict) and names.get("kind"):
        names.setdefault("singular", str(names["kind"]).lower())
        names.setdefault("listKind", f"{names['kind']}List")
    spec.setdefault("conversion", {"strategy": "None"})


def default_custom_resource(obj: Obj) -> None:
    """Decoding's pruning and defaulting of a custom resource (unknown fields dropped)."""
    resource = custom(str(obj.get("kind", "")))
    if resource is not None:
        schema = resource.storage.schema
        structural.prune(obj, schema)
        structural.default(obj, schema)


def unknown_custom_fields(obj: Obj) -> list[str] | None:
    """The fields pruning would drop from a custom resource; None for other kinds."""
    resource = custom(str(obj.get("kind", "")))
    return None if resource is None else structural.unknown_fields(obj, resource.storage.schema)


def prune_custom_resource(obj: Obj) -> list[str] | None:
    """Drop a custom resource's unknown fields, and say which; None for other kinds."""
    resource = custom(str(obj.get("kind", "")))
    return None if resource is None else structural.prune(obj, resource.storage.schema)
