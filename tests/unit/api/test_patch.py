"""JSON merge patch, JSON patch and strategic merge patch on plain dict objects."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from controlplane.api.patch import PatchError, json_patch, merge_patch, strategic_merge_patch
from controlplane.models.constants import Obj


def deployment(*containers: Obj, **spec: Any) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": list(containers)},
            },
            **spec,
        },
    }


def pod_spec(obj: Obj) -> Obj:
    spec: Obj = obj["spec"]["template"]["spec"]
    return spec


NGINX = {"name": "nginx", "image": "nginx:1.14", "imagePullPolicy": "IfNotPresent"}
SIDECAR = {"name": "log", "image": "busybox"}


# --- RFC 7386 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [
        ({"a": 1}, {"a": 2}, {"a": 2}),
        ({"a": 1, "b": 2}, {"a": None}, {"b": 2}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"y": None, "z": 3}}, {"a": {"x": 1, "z": 3}}),
        ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),
        ({"a": "s"}, {"a": {"b": 1}}, {"a": {"b": 1}}),
        ({"a": {"b": 1}}, {"a": "s"}, {"a": "s"}),
        ({}, {"a": {"b": None}}, {"a": {}}),  # RFC 7386 appendix A
        ({"a": 1}, {"missing": None}, {"a": 1}),
    ],
)
def test_merge_patch_follows_rfc_7386(target: Obj, patch: Obj, expected: Obj) -> None:
    before = copy.deepcopy(target)
    assert merge_patch(target, patch) == expected
    assert target == before


def test_merge_patch_replaces_lists_of_containers_whole() -> None:
    obj = deployment(NGINX, SIDECAR)
    patched = merge_patch(obj, {"spec": {"template": {"spec": {"containers": [{"name": "x"}]}}}})
    assert pod_spec(patched)["containers"] == [{"name": "x"}]


def test_merge_patch_rejects_a_non_object() -> None:
    with pytest.raises(PatchError):
        merge_patch({"a": 1}, [1])  # type: ignore[arg-type]


# --- RFC 6902 --------------------------------------------------------------------------------


def test_json_patch_applies_operations_without_touching_the_target() -> None:
    obj = deployment(NGINX)
    before = copy.deepcopy(obj)
    patched = json_patch(
        obj,
        [
            {"op": "replace", "path": "/spec/replicas", "value": 5},
            {"op": "add", "path": "/metadata/labels/tier", "value": "front"},
            {"op": "remove", "path": "/spec/template/spec/containers/0/imagePullPolicy"},
            {"op": "test", "path": "/metadata/name", "value": "web"},
        ],
    )
    assert patched["spec"]["replicas"] == 5
    assert patched["metadata"]["labels"] == {"app": "web", "tier": "front"}
    assert pod_spec(patched)["containers"] == [{"name": "nginx", "image": "nginx:1.14"}]
    assert obj == before


def test_json_patch_like_rollout_undo_replaces_template_and_annotations() -> None:
    obj = deployment(NGINX)
    obj["metadata"]["annotations"] = {"deployment.kubernetes.io/revision": "2"}
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [SIDECAR]}}
    patched = json_patch(
        obj,
        [
            {"op": "replace", "path": "/spec/template", "value": template},
            {"op": "replace", "path": "/metadata/annotations", "value": {"a": "b"}},
        ],
    )
    assert patched["spec"]["template"] == template
    assert patched["metadata"]["annotations"] == {"a": "b"}


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        ([{"op": "remove", "path": "/spec/nothing"}], "nothing"),
        ([{"op": "replace", "path": "/metadata/annotations", "value": {}}], "annotations"),
        ([{"op": "replace", "path": "/spec/a/b", "value": 1}], "a"),
        ([{"op": "frobnicate", "path": "/spec"}], "frobnicate"),
        ([{"path": "/spec"}], "Unexpected kind: unknown"),
        ([{"op": "add", "value": 1}], "path"),
        ([{"op": "add", "path": "spec", "value": 1}], 'doc is missing path: "spec"'),
        ([{"op": "test", "path": "/spec/replicas", "value": 4}], "testing value /spec/replicas"),
        ([1], "object"),
        ({"op": "add"}, "list"),
        ([{"op": "replace", "path": "", "value": [1]}], "object"),
    ],
)
def test_json_patch_errors_are_patch_errors(operations: Any, message: str) -> None:
    with pytest.raises(PatchError, match=message):
        json_patch(deployment(NGINX), operations)


def test_patch_error_is_a_value_error() -> None:
    assert issubclass(PatchError, ValueError)


# --- strategic merge patch: lists with merge keys -------------------------------------------


def test_set_image_patch_merges_the_container_by_name() -> None:
    # The exact body `kubectl set image deploy/web nginx=nginx:1.16` sends.
    obj = deployment(NGINX, SIDECAR)
    patch = {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "nginx"}],
                    "containers": [{"image": "nginx:1.16", "name": "nginx"}],
                }
            }
        }
    }
    patched = strategic_merge_patch(obj, patch, "Deployment")
    assert pod_spec(patched)["containers"] == [
        {"name": "nginx", "image": "nginx:1.16", "imagePullPolicy": "IfNotPresent"},
        SIDECAR,
    ]
    assert "$setElementOrder/containers" not in pod_spec(patched)
    assert pod_spec(obj)["containers"][0]["image"] == "nginx:1.14"  # input untouched


def test_new_container_goes_before_the_live_ones() -> None:
    # patch.go mergeSortedSlice puts patch elements the live list lacks first; the kubectl
    # patch task in the Kubernetes docs shows the same (patch-demo-ctr-2 above patch-demo-ctr).
    obj = deployment(NGINX)
    patch = {"spec": {"template": {"spec": {"containers": [SIDECAR]}}}}
    patched = strategic_merge_patch(obj, patch, "Deployment")
    assert [c["name"] for c in pod_spec(patched)["containers"]] == ["log", "nginx"]


@pytest.mark.parametrize("kind", ["ReplicaSet", "StatefulSet", "DaemonSet"])
def test_pod_templates_of_every_workload_merge_containers(kind: str) -> None:
    obj = deployment(NGINX, SIDECAR)
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "log", "image": "b:2"}]}}}}
    patched = strategic_merge_patch(obj, patch, kind)
    assert pod_spec(patched)["containers"] == [NGINX, {"name": "log", "image": "b:2"}]


def test_pod_spec_lists_merge_on_their_keys() -> None:
    pod = {
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "initContainers": [{"name": "init", "image": "a"}],
            "containers": [
                {
                    "name": "app",
                    "image": "app:1",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                    "volumeMounts": [{"mountPath": "/data", "name": "data"}],
                }
            ],
            "volumes": [{"name": "data", "emptyDir": {}}],
            "imagePullSecrets": [{"name": "reg"}],
            "tolerations": [{"key": "a", "operator": "Exists"}],
        },
    }
    patch = {
        "spec": {
            "initContainers": [{"name": "init", "image": "b"}],
            "containers": [
                {
                    "name": "app",
                    "ports": [{"containerPort": 443}],
                    "env": [{"name": "B", "value": "3"}],
                    "volumeMounts": [{"mountPath": "/data", "readOnly": True}],
                }
            ],
            "volumes": [{"name": "cache", "emptyDir": {}}],
            "imagePullSecrets": [{"name": "other"}],
            "tolerations": [{"key": "b", "operator": "Exists"}],
        }
    }
    spec = strategic_merge_patch(pod, patch, "Pod")["spec"]
    (app,) = spec["containers"]
    assert spec["initContainers"] == [{"name": "init", "image": "b"}]
    assert app["image"] == "app:1"
    assert app["ports"] == [{"containerPort": 443}, {"containerPort": 80, "protocol": "TCP"}]
    assert app["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}]
    assert app["volumeMounts"] == [{"mountPath": "/data", "name": "data", "readOnly": True}]
    assert [v["name"] for v in spec["volumes"]] == ["cache", "data"]
    assert spec["imagePullSecrets"] == [{"name": "other"}, {"name": "reg"}]
    # No patchStrategy on PodSpec.Tolerations: the list is replaced.
    assert spec["tolerations"] == [{"key": "b", "operator": "Exists"}]


def test_lists_without_a_merge_key_are_replaced() -> None:
    obj = deployment({"name": "nginx", "args": ["a", "b"]})
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "args": ["c"]}]}}}}
    patched = strategic_merge_patch(obj, patch, "Deployment")
    assert pod_spec(patched)["containers"][0]["args"] == ["c"]


def test_unknown_kinds_still_merge_maps_and_replace_lists() -> None:
    obj = {"kind": "Widget", "metadata": {"labels": {"a": "1"}}, "spec": {"items": [{"name": "x"}]}}
    patch = {"metadata": {"labels": {"b": "2"}}, "spec": {"items": [{"name": "y"}]}}
    patched = strategic_merge_patch(obj, patch, "Widget")
    assert patched["metadata"]["labels"] == {"a": "1", "b": "2"}
    assert patched["spec"]["items"] == [{"name": "y"}]


def test_metadata_owner_references_merge_by_uid_and_finalizers_as_a_set() -> None:
    pod = {
        "metadata": {
            "ownerReferences": [{"uid": "u1", "name": "rs-a", "controller": True}],
            "finalizers": ["a", "b"],
        }
    }
    patch = {
        "metadata": {
            "ownerReferences": [{"uid": "u1", "controller": False}, {"uid": "u2", "name": "x"}],
            "finalizers": ["b", "c"],
        }
    }
    meta = strategic_merge_patch(pod, patch, "Pod")["metadata"]
    assert meta["ownerReferences"] == [
        {"uid": "u1", "name": "rs-a", "controller": False},
        {"uid": "u2", "name": "x"},
    ]
    assert meta["finalizers"] == ["a", "b", "c"]


def test_status_conditions_merge_by_type() -> None:
    obj = {"status": {"conditions": [{"type": "Available", "status": "False"}]}}
    patch = {"status": {"conditions": [{"type": "Progressing", "status": "True"}]}}
    patched = strategic_merge_patch(obj, patch, "Deployment")
    assert [c["type"] for c in patched["status"]["conditions"]] == ["Progressing", "Available"]


def test_null_deletes_a_map_key_like_rollout_resume() -> None:
    obj = deployment(NGINX, paused=True)
    patched = strategic_merge_patch(obj, {"spec": {"paused": None}}, "Deployment")
    assert "paused" not in patched["spec"]
    restarted = strategic_merge_patch(
        obj,
        {"spec": {"template": {"metadata": {"annotations": {"k/restartedAt": "now"}}}}},
        "Deployment",
    )
    assert restarted["spec"]["template"]["metadata"] == {
        "labels": {"app": "web"},
        "annotations": {"k/restartedAt": "now"},
    }


# --- directives ------------------------------------------------------------------------------


def test_patch_delete_removes_a_list_element() -> None:
    obj = deployment(NGINX, SIDECAR)
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "log", "$patch": "delete"}]}}}}
    patched = strategic_merge_patch(obj, patch, "Deployment")
    assert pod_spec(patched)["containers"] == [NGINX]


def test_patch_replace_in_a_list_replaces_the_whole_list() -> None:
    obj = deployment(NGINX, SIDECAR)
    patch = {"spec": {"template": {"spec": {"containers": [{"$patch": "replace"}, {"name": "x"}]}}}}
    patched = strategic_merge_patch(obj, patch, "Deployment")
    assert pod_spec(patched)["containers"] == [{"name": "x"}]


def test_patch_replace_on_a_map_replaces_the_map() -> None:
    obj = deployment(NGINX)
    patch = {"metadata": {"labels": {"$patch": "replace", "new": "1"}}}
    assert strategic_merge_patch(obj, patch, "Deployment")["metadata"]["labels"] == {"new": "1"}


def test_patch_delete_on_a_map_empties_it() -> None:
    obj = deployment(NGINX)
    patch = {"metadata": {"labels": {"$patch": "delete"}}}
    assert strategic_merge_patch(obj, patch, "Deployment")["metadata"]["labels"] == {}


def test_retain_keys_clears_unlisted_fields() -> None:
    # Switching a Deployment to Recreate must drop the defaulted rollingUpdate block.
    obj = deployment(
        NGINX, strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}
    )
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    patched = strategic_merge_patch(obj, patch, "Deployment")
    assert patched["spec"]["strategy"] == {"type": "Recreate"}


def test_retain_keys_must_list_every_field_the_patch_sets() -> None:
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {}}}}
    with pytest.raises(PatchError, match="rollingUpdate"):
        strategic_merge_patch(deployment(NGINX), patch, "Deployment")


def test_retain_keys_on_volume_elements() -> None:
    pod = {"spec": {"volumes": [{"name": "v", "emptyDir": {}}]}}
    patch = {
        "spec": {"volumes": [{"name": "v", "$retainKeys": ["configMap", "name"], "configMap": {}}]}
    }
    patched = strategic_merge_patch(pod, patch, "Pod")
    assert patched["spec"]["volumes"] == [{"name": "v", "configMap": {}}]


def test_delete_from_primitive_list() -> None:
    pod = {"metadata": {"finalizers": ["a", "b", "c"]}}
    patch = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b", "zz"]}}
    patched = strategic_merge_patch(pod, patch, "Pod")
    assert patched["metadata"]["finalizers"] == ["a", "c"]
    missing = strategic_merge_patch({"metadata": {}}, patch, "Pod")
    assert missing["metadata"] == {}


def test_set_element_order_orders_the_merged_list() -> None:
    obj = deployment({"name": "a"}, {"name": "b"}, {"name": "c"})
    patch = {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}],
                    "containers": [{"name": "a", "image": "x"}],
                }
            }
        }
    }
    containers = pod_spec(strategic_merge_patch(obj, patch, "Deployment"))["containers"]
    assert containers == [{"name": "c"}, {"name": "a", "image": "x"}, {"name": "b"}]


def test_set_element_order_keeps_server_only_elements_in_place() -> None:
    # "sidecar" was injected by someone else; the order list only names the user's containers.
    obj = deployment({"name": "a"}, {"name": "sidecar"}, {"name": "b"})
    order = [{"name": "b"}, {"name": "a"}]
    patch = {"spec": {"template": {"spec": {"$setElementOrder/containers": order}}}}
    containers = pod_spec(strategic_merge_patch(obj, patch, "Deployment"))["containers"]
    assert [c["name"] for c in containers] == ["sidecar", "b", "a"]


def test_set_element_order_for_a_list_nobody_has_is_ignored() -> None:
    obj = deployment(NGINX)
    patch = {"spec": {"template": {"spec": {"$setElementOrder/initContainers": [{"name": "x"}]}}}}
    assert strategic_merge_patch(obj, patch, "Deployment") == obj


def test_set_element_order_on_a_replaced_list_is_ignored() -> None:
    obj = deployment({"name": "a", "args": ["1", "2"]})
    patch = {"spec": {"template": {"spec": {"$setElementOrder/tolerations": [{"key": "x"}]}}}}
    assert strategic_merge_patch(obj, patch, "Deployment") == obj


def test_patch_order_wins_over_live_order_for_merged_elements() -> None:
    obj = deployment({"name": "a"}, {"name": "b"})
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "b"}, {"name": "a"}]}}}}
    containers = pod_spec(strategic_merge_patch(obj, patch, "Deployment"))["containers"]
    assert [c["name"] for c in containers] == ["b", "a"]


def test_directives_never_leak_into_new_fields() -> None:
    obj: Obj = {"metadata": {"name": "p"}}
    patch = {
        "spec": {
            "containers": [{"name": "a", "env": [{"name": "X", "$patch": "delete"}]}],
            "volumes": [{"name": "v", "$retainKeys": ["name"]}],
        }
    }
    patched = strategic_merge_patch(obj, patch, "Pod")
    assert patched["spec"] == {"containers": [{"name": "a", "env": []}], "volumes": [{"name": "v"}]}


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"metadata": {"$patch": "merge"}}, "merge"),
        ({"spec": {"containers": [{"image": "x"}]}}, "merge key"),
        ({"spec": {"containers": [{"$patch": "delete"}]}}, "merge key"),
        ({"spec": {"containers": [{"name": "a", "$patch": "merge"}]}}, "merge"),
        ({"spec": {"$retainKeys": "name"}}, "retainKeys"),
        ({"spec": {"$setElementOrder/containers": {"name": "a"}}}, "setElementOrder"),
        ({"metadata": {"$deleteFromPrimitiveList/finalizers": "a"}}, "deleteFromPrimitiveList"),
    ],
)
def test_malformed_strategic_patches_raise_patch_error(patch: Obj, message: str) -> None:
    pod = {"metadata": {"finalizers": ["a"]}, "spec": {"containers": [{"name": "a"}]}}
    with pytest.raises(PatchError, match=message.replace("$", r"\$")):
        strategic_merge_patch(pod, patch, "Pod")


def test_strategic_patch_must_be_an_object() -> None:
    with pytest.raises(PatchError):
        strategic_merge_patch({}, [], "Pod")  # type: ignore[arg-type]
