"""Client-side apply: the three-way strategic merge patch of kubectl apply."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controlplane.api.patch import strategic_merge_patch
from controlplane.models.constants import LAST_APPLIED_ANNOTATION, Obj
from minikubectl.kubectl.apply import apply_merge, create_three_way_patch


def manifest(*containers: Obj, replicas: int = 3, labels: Obj | None = None, **spec: Any) -> Obj:
    """What the user's file says."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": labels or {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [copy.deepcopy(c) for c in containers]},
            },
            **spec,
        },
    }


def with_last_applied(obj: Obj) -> Obj:
    """kubectl's `modified`: the manifest carrying its own last-applied annotation."""
    modified = copy.deepcopy(obj)
    text = json.dumps(obj, separators=(",", ":"), sort_keys=True) + "\n"
    modified["metadata"].setdefault("annotations", {})[LAST_APPLIED_ANNOTATION] = text
    return modified


def stored(obj: Obj) -> Obj:
    """What the server keeps after creating `obj`: metadata, defaults and status."""
    live = with_last_applied(obj)
    live["metadata"].update(uid="u-1", resourceVersion="7", generation=1)
    live["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = "1"
    spec = live["spec"]
    spec.setdefault("strategy", {"type": "RollingUpdate"})
    if spec["strategy"]["type"] == "RollingUpdate":
        spec["strategy"].setdefault("rollingUpdate", {"maxSurge": "25%", "maxUnavailable": "25%"})
    spec.update(revisionHistoryLimit=10, progressDeadlineSeconds=600)
    pod = spec["template"]["spec"]
    pod.update(restartPolicy="Always", dnsPolicy="ClusterFirst", schedulerName="default-scheduler")
    for container in pod["containers"]:
        container.setdefault("imagePullPolicy", "IfNotPresent")
        container.setdefault("terminationMessagePath", "/dev/termination-log")
        for port in container.get("ports", []):
            port.setdefault("protocol", "TCP")
    live["status"] = {
        "replicas": spec["replicas"],
        "conditions": [{"type": "Available", "status": "True"}],
    }
    return live


def reapply(old_file: Obj | None, new_file: Obj, live: Obj) -> tuple[Obj, Obj]:
    """(patch, result) of `kubectl apply -f new_file` on `live`, last applied `old_file`."""
    modified = with_last_applied(new_file)
    patch = create_three_way_patch(old_file, modified, live, "Deployment")
    return patch, apply_merge(old_file, modified, live, "Deployment")


def containers(obj: Obj) -> list[Obj]:
    result: list[Obj] = obj["spec"]["template"]["spec"]["containers"]
    return result


NGINX = {"name": "nginx", "image": "nginx:1.14.2", "ports": [{"containerPort": 80}]}
LOGGER = {"name": "log", "image": "busybox"}


def test_reapplying_the_same_file_changes_nothing() -> None:
    file = manifest(NGINX, LOGGER)
    live = stored(file)
    patch, result = reapply(file, file, live)
    assert patch == {}  # kubectl sends no PATCH and prints "unchanged"
    assert result == live


def test_reapply_after_scale_restores_the_replicas_of_the_file() -> None:
    file = manifest(NGINX)
    live = stored(file)
    live["spec"]["replicas"] = 5  # kubectl scale --replicas=5
    patch, result = reapply(file, file, live)
    assert patch == {"spec": {"replicas": 3}}
    assert result["spec"]["replicas"] == 3


def test_changing_an_image_sends_kubectls_body_and_touches_only_that_container() -> None:
    old = manifest(NGINX, LOGGER)
    live = stored(old)
    new = manifest({**NGINX, "image": "nginx:1.16"}, LOGGER)
    patch, result = reapply(old, new, live)
    template_patch = patch["spec"]["template"]["spec"]
    assert template_patch == {
        "$setElementOrder/containers": [{"name": "nginx"}, {"name": "log"}],
        "containers": [{"name": "nginx", "image": "nginx:1.16"}],
    }
    assert set(patch) == {"metadata", "spec"}
    assert set(patch["metadata"]["annotations"]) == {LAST_APPLIED_ANNOTATION}
    expected = copy.deepcopy(containers(live))
    expected[0]["image"] = "nginx:1.16"
    assert containers(result) == expected  # server defaults of both containers kept


def test_removing_a_label_from_the_file_removes_it() -> None:
    old = manifest(NGINX, labels={"app": "web", "tier": "front"})
    live = stored(old)
    patch, result = reapply(old, manifest(NGINX, labels={"app": "web"}), live)
    assert patch["metadata"]["labels"] == {"tier": None}
    assert result["metadata"]["labels"] == {"app": "web"}


def test_a_label_set_by_another_writer_survives() -> None:
    file = manifest(NGINX)
    live = stored(file)
    live["metadata"]["labels"]["team"] = "blue"  # kubectl label deploy/web team=blue
    patch, result = reapply(file, file, live)
    assert patch == {}
    assert result["metadata"]["labels"] == {"app": "web", "team": "blue"}


def test_a_container_added_to_the_file_is_merged_in_by_name_in_file_order() -> None:
    old = manifest(NGINX)
    live = stored(old)
    patch, result = reapply(old, manifest(LOGGER, NGINX), live)
    assert patch["spec"]["template"]["spec"]["containers"] == [LOGGER]
    assert [c["name"] for c in containers(result)] == ["log", "nginx"]
    assert containers(result)[1] == containers(live)[0]  # nginx untouched, defaults kept


def test_a_container_removed_from_the_file_is_removed() -> None:
    old = manifest(NGINX, LOGGER)
    live = stored(old)
    patch, result = reapply(old, manifest(NGINX), live)
    assert patch["spec"]["template"]["spec"] == {
        "$setElementOrder/containers": [{"name": "nginx"}],
        "containers": [{"name": "log", "$patch": "delete"}],
    }
    assert containers(result) == containers(live)[:1]


def test_a_container_injected_by_another_writer_survives() -> None:
    file = manifest(NGINX)
    live = stored(file)
    containers(live).append({"name": "istio-proxy", "image": "proxy"})
    _, result = reapply(file, file, live)
    assert [c["name"] for c in containers(result)] == ["nginx", "istio-proxy"]
    assert result == live


def test_env_vars_merge_by_name_in_three_ways() -> None:
    old = manifest({**NGINX, "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]})
    live = stored(old)
    containers(live)[0]["env"].append({"name": "INJECTED", "value": "x"})
    new = manifest({**NGINX, "env": [{"name": "A", "value": "9"}, {"name": "C", "value": "3"}]})
    _, result = reapply(old, new, live)
    assert containers(result)[0]["env"] == [
        {"name": "A", "value": "9"},
        {"name": "C", "value": "3"},
        {"name": "INJECTED", "value": "x"},
    ]


def test_a_field_removed_from_the_file_is_removed_even_if_someone_changed_it() -> None:
    old = manifest(NGINX, minReadySeconds=5)
    live = stored(old)
    live["spec"]["minReadySeconds"] = 30
    patch, result = reapply(old, manifest(NGINX), live)
    assert patch["spec"] == {"minReadySeconds": None}
    assert "minReadySeconds" not in result["spec"]


def test_lists_without_merge_key_are_replaced_and_removed_whole() -> None:
    old = manifest({**NGINX, "args": ["-a", "-b"]}, tolerations=[{"key": "x"}])
    live = stored(old)
    new = manifest({**NGINX, "args": ["-c"]})
    patch, result = reapply(old, new, live)
    assert patch["spec"]["template"]["spec"]["containers"] == [{"name": "nginx", "args": ["-c"]}]
    assert patch["spec"]["tolerations"] is None
    assert containers(result)[0]["args"] == ["-c"]
    assert "tolerations" not in result["spec"]


def test_server_defaulted_port_protocol_is_not_a_change() -> None:
    file = manifest({**NGINX, "ports": [{"containerPort": 80}, {"containerPort": 443}]})
    live = stored(file)
    assert containers(live)[0]["ports"][0] == {"containerPort": 80, "protocol": "TCP"}
    patch, _ = reapply(file, file, live)
    assert patch == {}


def test_without_last_applied_nothing_is_deleted() -> None:
    # An object made by `kubectl create` (no annotation): apply only adds and changes.
    live = stored(manifest(NGINX, LOGGER, labels={"app": "web", "tier": "front"}))
    patch, result = reapply(None, manifest(NGINX, replicas=4), live)
    assert "containers" not in patch["spec"]["template"]["spec"]
    assert result["spec"]["replicas"] == 4
    assert result["metadata"]["labels"] == {"app": "web", "tier": "front"}
    assert [c["name"] for c in containers(result)] == ["nginx", "log"]


def test_switching_to_recreate_clears_the_rolling_update_block() -> None:
    old = manifest(NGINX)
    live = stored(old)
    new = manifest(NGINX, strategy={"type": "Recreate"})
    patch, result = reapply(old, new, live)
    assert patch["spec"]["strategy"] == {"$retainKeys": ["type"], "type": "Recreate"}
    assert result["spec"]["strategy"] == {"type": "Recreate"}


def test_retain_keys_fires_on_a_defaulted_strategy_like_kubectl() -> None:
    # The file names the strategy type; the server defaulted rollingUpdate. kubectl's patch is
    # not empty here (kubernetes#66450) and the result lacks rollingUpdate until the server
    # defaults it again.
    file = manifest(NGINX, strategy={"type": "RollingUpdate"})
    live = stored(file)
    patch, result = reapply(file, file, live)
    assert patch == {"spec": {"strategy": {"$retainKeys": ["type"]}}}
    assert result["spec"]["strategy"] == {"type": "RollingUpdate"}


def test_switching_a_volume_source_clears_the_old_one() -> None:
    old = manifest(NGINX, volumes=[{"name": "data", "emptyDir": {}}])
    live = stored(old)
    new = manifest(NGINX, volumes=[{"name": "data", "configMap": {"name": "cm"}}])
    _, result = reapply(old, new, live)
    assert result["spec"]["volumes"] == [{"name": "data", "configMap": {"name": "cm"}}]


def test_finalizers_merge_as_a_set() -> None:
    old = manifest(NGINX)
    old["metadata"]["finalizers"] = ["example.com/a", "example.com/b"]
    live = stored(old)
    live["metadata"]["finalizers"].append("other.io/keep")
    new = manifest(NGINX)
    new["metadata"]["finalizers"] = ["example.com/a", "example.com/c"]
    patch, result = reapply(old, new, live)
    assert patch["metadata"]["$deleteFromPrimitiveList/finalizers"] == ["example.com/b"]
    assert patch["metadata"]["finalizers"] == ["example.com/c"]
    assert result["metadata"]["finalizers"] == ["example.com/a", "example.com/c", "other.io/keep"]


def test_owner_references_merge_by_uid() -> None:
    old = manifest(NGINX)
    live = stored(old)
    live["metadata"]["ownerReferences"] = [{"uid": "o-1", "kind": "Thing", "name": "t"}]
    _, result = reapply(old, old, live)
    assert result["metadata"]["ownerReferences"] == [{"uid": "o-1", "kind": "Thing", "name": "t"}]


def test_status_is_left_to_the_server() -> None:
    file = manifest(NGINX)
    live = stored(file)
    live["status"]["replicas"] = 2
    _, result = reapply(file, manifest(NGINX, replicas=4), live)
    assert result["status"] == live["status"]


@pytest.mark.parametrize("kind", ["Pod", "ReplicaSet", "StatefulSet", "DaemonSet"])
def test_other_kinds_merge_containers_by_name(kind: str) -> None:
    def obj(*items: Obj) -> Obj:
        pod_spec = {"containers": [copy.deepcopy(c) for c in items]}
        spec = pod_spec if kind == "Pod" else {"template": {"spec": pod_spec}}
        return {"kind": kind, "metadata": {"name": "x"}, "spec": spec}

    live = obj(NGINX, LOGGER)
    live_pod_spec = live["spec"] if kind == "Pod" else live["spec"]["template"]["spec"]
    live_pod_spec["containers"][0]["imagePullPolicy"] = "Always"
    result = apply_merge(obj(NGINX, LOGGER), obj({**NGINX, "image": "nginx:2"}), live, kind)
    got = result["spec"] if kind == "Pod" else result["spec"]["template"]["spec"]
    assert got["containers"] == [{**NGINX, "image": "nginx:2", "imagePullPolicy": "Always"}]


def test_inputs_are_not_mutated() -> None:
    old = manifest(NGINX, LOGGER, labels={"app": "web", "x": "1"})
    new = with_last_applied(manifest({**NGINX, "image": "nginx:2"}, strategy={"type": "Recreate"}))
    live = stored(old)
    copies = copy.deepcopy((old, new, live))
    apply_merge(old, new, live, "Deployment")
    assert (old, new, live) == copies


def test_the_patch_applies_with_strategic_merge_patch() -> None:
    old = manifest(NGINX, LOGGER, labels={"app": "web", "x": "1"})
    live = stored(old)
    new = with_last_applied(manifest(LOGGER, {**NGINX, "image": "nginx:2"}))
    patch = create_three_way_patch(old, new, live, "Deployment")
    json.dumps(patch)  # plain JSON, ready to send as application/strategic-merge-patch+json
    result = strategic_merge_patch(live, patch, "Deployment")
    assert result == apply_merge(old, new, live, "Deployment")
    assert [c["name"] for c in containers(result)] == ["log", "nginx"]
    assert "x" not in result["metadata"]["labels"]


labels = st.dictionaries(st.sampled_from("abcdef"), st.sampled_from(["1", "2"]), max_size=6)


@given(original=labels, modified=labels, current=labels)
def test_labels_follow_the_three_way_rule(original: Obj, modified: Obj, current: Obj) -> None:
    # Result = current, minus what the user removed since last time, plus the file's values.
    result = apply_merge(
        {"metadata": {"labels": original}},
        {"metadata": {"labels": modified}},
        {"metadata": {"labels": current}},
        "Deployment",
    )
    expected = {k: v for k, v in current.items() if k in modified or k not in original}
    expected.update(modified)
    assert result["metadata"].get("labels", {}) == expected


names = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), unique=True, max_size=5)


@given(original=names, modified=names, current=names)
def test_containers_follow_the_three_way_rule(
    original: list[str], modified: list[str], current: list[str]
) -> None:
    def file(items: list[str]) -> Obj:
        return manifest(*({"name": n, "image": n} for n in items))

    live = file(current)
    for container in containers(live):
        container["imagePullPolicy"] = "Always"
    result = apply_merge(file(original), file(modified), live, "Deployment")
    got = [c["name"] for c in containers(result)]
    kept = [n for n in current if n not in modified and n not in original]
    assert sorted(got) == sorted([*modified, *kept])
    assert [n for n in got if n in modified] == modified  # the file's order wins
    for container in containers(result):
        assert container["image"] == container["name"]
        assert ("imagePullPolicy" in container) == (container["name"] in current)
