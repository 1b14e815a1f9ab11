"""Custom resources through the verbs: a CRD serves its kind at once, its schema prunes,
defaults and validates in kube-apiserver 1.37's words, status is a subresource with its own
generation rules, and finalizers hold a deletion."""

from __future__ import annotations

import pytest

from controlplane.api.crd import cel
from controlplane.api.errors import ApiError, render_bad_value
from controlplane.api.field_validation import IGNORE, admit_body
from controlplane.api.registry import is_served
from controlplane.api.verbs import Api
from tests.unit.api.crd.widgets import crd, widget


@pytest.fixture
def widgets(api: Api) -> Api:
    api.create(crd())
    return api


def invalid(api: Api, obj: dict) -> str:
    with pytest.raises(ApiError) as caught:
        api.create(obj)
    assert caught.value.code == 422
    return caught.value.message


def test_a_created_crd_is_established_and_serves_its_kind(api: Api) -> None:
    created = api.create(crd())
    conditions = {c["type"]: (c["status"], c["reason"]) for c in created["status"]["conditions"]}
    assert conditions == {
        "NamesAccepted": ("True", "NoConflicts"),
        "Established": ("True", "InitialNamesAccepted"),
    }
    assert created["status"]["acceptedNames"]["listKind"] == "WidgetList"
    assert created["status"]["storedVersions"] == ["v1"]
    assert api.create(widget())["apiVersion"] == "example.com/v1"


def test_a_kind_a_built_in_resource_has_is_not_accepted(api: Api) -> None:
    clash = crd()
    clash["metadata"]["name"] = "deployments.example.com"
    clash["spec"]["names"] = {"plural": "deployments", "kind": "Deployment"}
    status = api.create(clash)["status"]
    assert [(c["type"], c["status"], c["reason"]) for c in status["conditions"]] == [
        ("NamesAccepted", "False", "KindConflict"),
        ("Established", "False", "NotAccepted"),
    ]


def test_crd_validation_speaks_kube_apiservers_words(api: Api) -> None:
    bad = crd()
    bad["metadata"]["name"] = "widgets"
    bad["spec"]["group"] = "example"
    bad["spec"]["versions"][1]["storage"] = True
    bad["spec"]["scope"] = "Global"
    versions = render_bad_value(bad["spec"]["versions"])
    assert invalid(api, bad) == (
        'CustomResourceDefinition.apiextensions.k8s.io "widgets" is invalid: ['
        'metadata.name: Invalid value: "widgets": must be spec.names.plural+"."+spec.group, '
        'spec.group: Invalid value: "example": should be a domain with at least one dot, '
        'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced", '
        f"spec.versions: Invalid value: {versions}: must have exactly one version marked as "
        "storage version]"
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"replicas": "string"},
            'spec.replicas: Invalid value: "string": spec.replicas in body must be of type '
            'integer: "string"',
        ),
        (
            {"replicas": 20},
            "spec.replicas: Invalid value: 20: spec.replicas in body should be less than or "
            "equal to 10",
        ),
        (
            {"replicas": -1},
            "spec.replicas: Invalid value: -1: spec.replicas in body should be "
            "greater than or equal to 0",
        ),
        (
            {"size": "huge"},
            'spec.size: Unsupported value: "huge": supported values: "small", "large"',
        ),
        ({"code": "abcdefg"}, "spec.code: Too long: may not be more than 5 bytes"),
        (
            {"code": "AB"},
            "spec.code: Invalid value: \"AB\": spec.code in body should match '^[a-z]+$'",
        ),
        (
            {"image": ""},
            'spec.image: Invalid value: "": spec.image in body should be at least 1 chars long',
        ),
        (
            {"email": "nobody"},
            'spec.email: Invalid value: "nobody": spec.email in body must be '
            'of type email: "nobody"',
        ),
        (
            {"port": True},
            'spec.port: Invalid value: "boolean": spec.port in body must be of type '
            'integer,string: "boolean"',
        ),
        ({"tags": ["a", "b", "c"]}, "spec.tags: Too many: 3: must have at most 2 items"),
    ],
)
def test_schema_violations_are_golden(widgets: Api, spec: dict, message: str) -> None:
    assert invalid(widgets, widget(**spec)) == f'Widget.example.com "w" is invalid: {message}'


def test_a_required_field_missing(widgets: Api) -> None:
    obj = widget()
    del obj["spec"]["image"]
    assert invalid(widgets, obj) == 'Widget.example.com "w" is invalid: spec.image: Required value'


def test_int_or_string_takes_both(widgets: Api) -> None:
    widgets.create(widget("a", port=80))
    assert widgets.create(widget("b", port="http"))["spec"]["port"] == "http"


def test_defaults_fill_in_and_unknown_fields_are_pruned(widgets: Api) -> None:
    obj = widget(extra={"kept": {"deep": 1}}, unknown=True)
    obj["status"] = {"phase": "Ready"}  # status is a subresource: a create drops it
    admit_body(obj, IGNORE)  # fieldValidation=Ignore: pruned, as kubectl --validate=false
    created = widgets.create(obj)
    assert created["spec"] == {"image": "nginx", "extra": {"kept": {"deep": 1}}, "replicas": 1}
    assert "status" not in created


def test_strict_field_validation_names_the_unknown_fields(widgets: Api) -> None:
    with pytest.raises(ApiError) as caught:
        widgets.create(widget(unknown=1, other=2))
    assert caught.value.code == 400
    assert caught.value.message == (
        'Widget in version "v1" cannot be handled as a Widget: strict decoding error: '
        'unknown field "spec.other", unknown field "spec.unknown"'
    )


def test_status_is_written_apart_and_generation_counts_spec_changes(widgets: Api) -> None:
    created = widgets.create(widget(replicas=2))
    assert created["metadata"]["generation"] == 1
    with_status = {**created, "status": {"phase": "Ready", "replicas": 2}}
    written = widgets.update_status(with_status)
    assert written["status"] == {"phase": "Ready", "replicas": 2}
    assert written["metadata"]["generation"] == 1
    respec = {**written, "spec": {**written["spec"], "replicas": 3}, "status": {"phase": "x"}}
    updated = widgets.update(respec)
    assert updated["metadata"]["generation"] == 2
    assert updated["status"] == {"phase": "Ready", "replicas": 2}  # the main resource keeps it


def test_without_a_status_subresource_status_is_part_of_the_object(api: Api) -> None:
    plain = crd()
    for version in plain["spec"]["versions"]:
        version.pop("subresources", None)
    api.create(plain)
    created = api.create({**widget(), "status": {"phase": "New"}})
    assert created["status"] == {"phase": "New"}
    updated = api.update({**created, "status": {"phase": "Done"}})
    assert updated["status"] == {"phase": "Done"}
    assert updated["metadata"]["generation"] == 2


def test_finalizers_hold_a_custom_resource_until_removed(widgets: Api) -> None:
    obj = widget()
    obj["metadata"]["finalizers"] = ["example.com/cleanup"]
    created = widgets.create(obj)
    marked = widgets.delete("Widget", "default", "w")
    assert marked["metadata"]["deletionTimestamp"]
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 0
    assert marked["metadata"]["generation"] == created["metadata"]["generation"] + 1
    assert widgets.get("Widget", "default", "w")["metadata"]["finalizers"]
    widgets.patch("Widget", "default", "w", {"metadata": {"finalizers": None}}, "merge")
    with pytest.raises(ApiError) as caught:
        widgets.get("Widget", "default", "w")
    assert caught.value.code == 404


def test_deleting_a_crd_marks_it_for_the_cleanup_finalizer(widgets: Api) -> None:
    marked = widgets.delete("CustomResourceDefinition", "", "widgets.example.com")
    assert marked["metadata"]["finalizers"] == ["customresourcecleanup.apiextensions.k8s.io"]
    terminating = [c for c in marked["status"]["conditions"] if c["type"] == "Terminating"]
    assert terminating[0]["reason"] == "InstanceDeletionPending"
    assert is_served("Widget")
    widgets.patch(
        "CustomResourceDefinition",
        "",
        "widgets.example.com",
        {"metadata": {"finalizers": []}},
        "merge",
    )
    assert not is_served("Widget")


def test_a_status_write_is_checked_against_the_schema(widgets: Api) -> None:
    created = widgets.create(widget())
    with pytest.raises(ApiError) as caught:
        widgets.update_status({**created, "status": {"replicas": "two"}})
    assert caught.value.message == (
        'Widget.example.com "w" is invalid: status.replicas: Invalid value: "string": '
        'status.replicas in body must be of type integer: "string"'
    )


def with_rules(*rules: dict) -> dict:
    ruled = crd()
    for version in ruled["spec"]["versions"]:
        version["schema"]["openAPIV3Schema"]["properties"]["spec"]["x-kubernetes-validations"] = (
            list(rules)
        )
    return ruled


@pytest.mark.skipif(not cel.available(), reason="cel-python (the cel extra) is not installed")
def test_cel_rules_are_checked_with_their_messages(api: Api) -> None:
    api.create(
        with_rules(
            {"rule": "self.replicas <= 5"},
            {"rule": "!has(self.size) || self.size == 'small'", "message": "size must be small"},
            {"rule": "self.image == oldSelf.image", "message": "image is immutable"},
            {"rule": "self.image != 'bad'", "reason": "FieldValueForbidden", "fieldPath": ".image"},
        )
    )
    assert invalid(api, widget(replicas=7, size="large")) == (
        'Widget.example.com "w" is invalid: [spec: Invalid value: "object": failed rule: '
        'self.replicas <= 5, spec: Invalid value: "object": size must be small]'
    )
    assert invalid(api, widget(image="bad")) == (
        'Widget.example.com "w" is invalid: spec.image: Forbidden: failed rule: '
        "self.image != 'bad'"
    )
    created = api.create(widget())  # a transition rule is not checked on create
    with pytest.raises(ApiError) as caught:
        api.update({**created, "spec": {**created["spec"], "image": "httpd"}})
    assert caught.value.message == (
        'Widget.example.com "w" is invalid: spec: Invalid value: "object": image is immutable'
    )


def test_a_cluster_scoped_kind_has_no_namespace(api: Api) -> None:
    scoped = crd()
    scoped["spec"]["scope"] = "Cluster"
    api.create(scoped)
    created = api.create(widget())
    assert "namespace" not in created["metadata"]
    assert api.get("Widget", "elsewhere", "w")["metadata"]["uid"] == created["metadata"]["uid"]


def test_crd_names_are_dns_1035_labels(api: Api) -> None:
    """ValidateCustomResourceDefinitionNames: plural and kind are IsDNS1035Label (the kind
    lower-cased), in apimachinery's words."""
    bad = crd()
    bad["spec"]["names"] = {"plural": "9widgets", "kind": "Wid_get"}
    dns1035 = (
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
        "with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', "
        " or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    )
    message = invalid(api, bad)
    assert f'spec.names.plural: Invalid value: "9widgets": {dns1035}' in message
    assert (
        'spec.names.kind: Invalid value: "Wid_get": may have mixed case, but should otherwise '
        f"match: {dns1035}"
    ) in message
