"""Server-side apply and managedFields: the fieldsV1 codec, field sets of objects, and who
owns what after Updates and Applies (sigs.k8s.io/structured-merge-diff's merge tests, told
as tables)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from controlplane.api.managedfields import fieldpath
from controlplane.api.managedfields.fieldmanager import ApplyConflict
from controlplane.api.managedfields.shape import shape_of
from controlplane.api.managedfields.typed import field_set
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock


def deployment(replicas: int | None = 3, image: str = "nginx:1.14.2", **labels: str) -> dict:
    spec: dict[str, Any] = {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [{"name": "nginx", "image": image, "ports": [{"containerPort": 80}]}]
            },
        },
    }
    if replicas is not None:
        spec["replicas"] = replicas
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", **labels}},
        "spec": spec,
    }


def entries(obj: dict) -> dict[tuple[str, str, str], dict]:
    return {
        (e["manager"], e["operation"], e.get("subresource", "")): e["fieldsV1"]
        for e in obj["metadata"].get("managedFields", [])
    }


def owns(obj: dict, manager: str, path: tuple[str, ...], operation: str = "Apply") -> bool:
    found = entries(obj).get((manager, operation, ""))
    return found is not None and fieldpath.has(fieldpath.from_fields_v1(found), path)


REPLICAS = ("f:spec", "f:replicas")
IMAGE = ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}', "f:image")


# --- the codec --------------------------------------------------------------------------------

# A managedFields entry as kube-apiserver 1.37 writes it for a Pod applied by kubectl.
UPSTREAM_POD_APPLY = {
    "f:metadata": {"f:labels": {"f:app": {}}},
    "f:spec": {
        "f:containers": {
            'k:{"name":"app"}': {".": {}, "f:image": {}, "f:name": {}},
        }
    },
}


def test_fields_v1_round_trips_and_marks_members() -> None:
    decoded = fieldpath.from_fields_v1(UPSTREAM_POD_APPLY)
    assert fieldpath.to_fields_v1(decoded) == UPSTREAM_POD_APPLY
    assert [fieldpath.path_string(p) for p in fieldpath.members(decoded)] == [
        ".metadata.labels.app",
        '.spec.containers[name="app"]',
        '.spec.containers[name="app"].image',
        '.spec.containers[name="app"].name',
    ]
    assert not fieldpath.has(decoded, ("f:spec", "f:containers"))


def test_key_elements_sort_their_fields_and_print_as_upstream() -> None:
    element = fieldpath.key({"protocol": "TCP", "containerPort": 80})
    assert element == 'k:{"containerPort":80,"protocol":"TCP"}'
    assert fieldpath.path_string(("f:ports", element)) == '.ports[containerPort=80,protocol="TCP"]'
    assert fieldpath.path_string(("f:finalizers", fieldpath.value("x"))) == '.finalizers[="x"]'


def test_set_algebra() -> None:
    a = fieldpath.from_fields_v1({"f:spec": {"f:replicas": {}, "f:paused": {}}})
    b = fieldpath.from_fields_v1({"f:spec": {"f:replicas": {}}})
    assert fieldpath.to_fields_v1(fieldpath.difference(a, b)) == {"f:spec": {"f:paused": {}}}
    assert fieldpath.intersection(a, b) == b
    assert fieldpath.union(b, a) == a


def test_the_field_set_of_an_applied_configuration() -> None:
    """ToFieldSet: leaves and list items; a struct or granular map is not a member itself,
    an atomic struct (the selector) is one leaf, and a port's key takes the TCP default."""
    fields = fieldpath.to_fields_v1(field_set(deployment(), shape_of("Deployment")))
    assert fields["f:spec"]["f:selector"] == {}
    assert fields["f:metadata"] == {
        "f:labels": {"f:app": {}},
        "f:name": {},
        "f:namespace": {},
    }
    container = fields["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']
    assert container == {
        ".": {},
        "f:image": {},
        "f:name": {},
        "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}},
    }


# --- updates ------------------------------------------------------------------------------------


def test_create_records_the_creator_with_the_defaults_it_caused(api: Api) -> None:
    created = api.create(deployment(), field_manager="kubectl-client-side-apply")
    fields = entries(created)[("kubectl-client-side-apply", "Update", "")]
    spec = fields["f:spec"]
    assert "." not in spec and "f:status" not in fields and "f:name" not in fields["f:metadata"]
    assert spec["f:progressDeadlineSeconds"] == {} and spec["f:selector"] == {}
    assert fields["f:metadata"]["f:labels"] == {".": {}, "f:app": {}}
    pod_spec = spec["f:template"]["f:spec"]
    assert "." not in pod_spec["f:containers"]  # null in the zero Deployment, not absent
    assert pod_spec["f:containers"]['k:{"name":"nginx"}']["f:resources"] == {}
    entry = created["metadata"]["managedFields"][0]
    assert list(entry) == ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"]
    assert (entry["apiVersion"], entry["fieldsType"]) == ("apps/v1", "FieldsV1")


def test_an_update_takes_the_fields_it_changes_from_their_owner(api: Api) -> None:
    api.create(deployment(), field_manager="kubectl-client-side-apply")
    patched = api.patch(
        "Deployment", "default", "web", {"spec": {"replicas": 5}}, "merge", field_manager="hpa"
    )
    assert owns(patched, "hpa", REPLICAS, "Update")
    assert not owns(patched, "kubectl-client-side-apply", REPLICAS, "Update")
    assert owns(patched, "kubectl-client-side-apply", IMAGE, "Update")


def test_an_update_that_changes_nothing_keeps_managed_fields(api: Api) -> None:
    created = api.create(deployment(), field_manager="a")
    again = api.update(copy.deepcopy(created), field_manager="b")
    assert again == created


def test_status_writes_are_recorded_on_the_status_subresource(api: Api) -> None:
    created = api.create(deployment(), field_manager="a")
    obj = copy.deepcopy(created)
    obj["status"] = {"replicas": 3}
    updated = api.update_status(obj, field_manager="kube-controller-manager")
    assert entries(updated)[("kube-controller-manager", "Update", "status")] == {
        "f:status": {"f:replicas": {}}
    }


def test_a_put_without_managed_fields_keeps_the_stored_ones(api: Api) -> None:
    created = api.create(deployment(), field_manager="a")
    obj = copy.deepcopy(created)
    del obj["metadata"]["managedFields"]
    obj["spec"]["replicas"] = 4
    updated = api.update(obj, field_manager="b")
    assert set(entries(updated)) == {("a", "Update", ""), ("b", "Update", "")}


# --- applies ------------------------------------------------------------------------------------


def test_apply_creates_then_updates(api: Api) -> None:
    created, was_created = api.apply(deployment(), field_manager="kubectl")
    assert was_created and created["metadata"]["generation"] == 1
    assert set(entries(created)) == {("kubectl", "Apply", "")}
    assert "f:progressDeadlineSeconds" not in entries(created)[("kubectl", "Apply", "")]["f:spec"]
    updated, was_created = api.apply(deployment(replicas=4), field_manager="kubectl")
    assert not was_created and updated["spec"]["replicas"] == 4


@pytest.mark.parametrize(
    ("first", "change", "conflicts"),
    [
        # another Update owner of the field: conflict, described with its apiVersion
        (
            "update",
            {"replicas": 5},
            'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using '
            "apps/v1: .spec.replicas",
        ),
        # another applier: no apiVersion in its name
        (
            "apply",
            {"replicas": 5},
            'Apply failed with 1 conflict: conflict with "ci": .spec.replicas',
        ),
        # the same value is shared ownership, not a conflict
        ("update", {}, None),
    ],
)
def test_apply_conflicts_in_kubernetes_words(
    api: Api, first: str, change: dict, conflicts: str | None
) -> None:
    if first == "update":
        api.create(deployment(), field_manager="kubectl-client-side-apply")
    else:
        api.apply(deployment(), field_manager="ci")
    config = deployment(**{})
    config["spec"].update(change)
    if conflicts is None:
        applied, _ = api.apply(config, field_manager="kubectl")
        assert owns(applied, "kubectl", REPLICAS)
        return
    with pytest.raises(ApplyConflict) as caught:
        api.apply(config, field_manager="kubectl")
    assert caught.value.message == conflicts
    status = caught.value.status()
    assert (status["code"], status["reason"]) == (409, "Conflict")
    assert status["details"]["causes"][0]["reason"] == "FieldManagerConflict"
    assert status["details"]["causes"][0]["field"] == ".spec.replicas"
    assert api.get("Deployment", "default", "web")["spec"]["replicas"] == 3  # untouched


def test_several_conflicts_are_grouped_by_manager(api: Api) -> None:
    api.create(deployment(), field_manager="kubectl-client-side-apply")
    with pytest.raises(ApplyConflict) as caught:
        api.apply(deployment(replicas=5, image="nginx:2"), field_manager="kubectl")
    assert caught.value.message == (
        'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using '
        'apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image'
    )


def test_force_takes_ownership(api: Api) -> None:
    api.create(deployment(), field_manager="kubectl-client-side-apply")
    applied, _ = api.apply(deployment(replicas=5), field_manager="kubectl", force=True)
    assert applied["spec"]["replicas"] == 5
    assert owns(applied, "kubectl", REPLICAS)
    assert not owns(applied, "kubectl-client-side-apply", REPLICAS, "Update")


def test_a_field_left_out_of_the_next_apply_is_removed_unless_another_owns_it(api: Api) -> None:
    api.apply(deployment(tier="front", team="a"), field_manager="kubectl")
    api.apply(deployment(team="a"), field_manager="ci")  # ci co-owns the team label
    applied, _ = api.apply(deployment(), field_manager="kubectl")
    assert applied["metadata"]["labels"] == {"app": "web", "team": "a"}
    assert not owns(applied, "kubectl", ("f:metadata", "f:labels", "f:team"))


def test_replicas_left_out_by_its_applier_fall_back_to_the_default_owner(api: Api) -> None:
    api.apply(deployment(replicas=5), field_manager="kubectl")
    applied, _ = api.apply(deployment(replicas=None), field_manager="kubectl")
    assert applied["spec"]["replicas"] == 1  # removed, then defaulted


def test_a_repeated_apply_writes_nothing_and_only_the_writer_gets_a_new_time(
    api: Api, clock: FakeClock
) -> None:
    first, _ = api.apply(deployment(), field_manager="kubectl")
    clock.advance(60)
    again, _ = api.apply(deployment(), field_manager="kubectl")
    assert again["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    assert again["metadata"]["managedFields"] == first["metadata"]["managedFields"]
    forced, _ = api.apply(deployment(replicas=7), field_manager="ci", force=True)
    times = {e["manager"]: e["time"] for e in forced["metadata"]["managedFields"]}
    assert times["kubectl"] == first["metadata"]["managedFields"][0]["time"]
    assert times["ci"] > times["kubectl"]


def test_kubectls_upgrade_from_client_side_apply(api: Api) -> None:
    """csaupgrade.UpgradeManagedFields: the CSA Update entry is folded into the applier's."""
    from controlplane.api.managedfields.csaupgrade import upgrade_managed_fields

    api.create(deployment(), field_manager="kubectl-client-side-apply")
    only_csa = api.get("Deployment", "default", "web")
    moved = upgrade_managed_fields(only_csa, "kubectl")
    assert moved is not None and [(e["manager"], e["operation"]) for e in moved] == [
        ("kubectl", "Apply")
    ]
    applied, _ = api.apply(deployment(replicas=5), field_manager="kubectl", force=True)
    both = upgrade_managed_fields(applied, "kubectl")
    assert both is not None and [e["manager"] for e in both] == ["kubectl"]
    union = fieldpath.from_fields_v1(both[0]["fieldsV1"])
    assert fieldpath.has(union, REPLICAS) and fieldpath.has(
        union, ("f:spec", "f:revisionHistoryLimit")
    )
    assert upgrade_managed_fields({"metadata": {"managedFields": both}}, "kubectl") is None
