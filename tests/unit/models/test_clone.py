"""`clone` copies a JSON tree so that no change to the copy reaches the original."""

from __future__ import annotations

from controlplane.models.clone import clone


def test_a_clone_is_equal_and_shares_no_dict_or_list_with_the_original() -> None:
    pod = {
        "metadata": {"name": "web", "labels": {"app": "web"}, "finalizers": ["a"]},
        "spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 80}]}]},
        "status": {"phase": "Running", "ready": True, "restarts": 0, "ip": None},
    }
    copied = clone(pod)
    assert copied == pod
    copied["metadata"]["labels"]["app"] = "db"
    copied["metadata"]["finalizers"].append("b")
    copied["spec"]["containers"][0]["ports"][0]["containerPort"] = 8080
    assert pod["metadata"] == {"name": "web", "labels": {"app": "web"}, "finalizers": ["a"]}
    assert pod["spec"]["containers"][0]["ports"] == [{"containerPort": 80}]
