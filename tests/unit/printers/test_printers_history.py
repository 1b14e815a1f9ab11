"""`kubectl rollout history` output (polymorphichelpers/history.go)."""

from __future__ import annotations

from printers_builders import replica_set, ts

from minikubectl.printers.history import rollout_history_revision, rollout_history_table


def test_history_table_matches_reference() -> None:
    rows = [
        (5, ""),
        (1, "<none>"),
        (4, "kubectl set image deployment/nginx nginx=nginx:1.16.1 --record=true"),
    ]
    assert rollout_history_table("deployment.apps/nginx", rows) == (
        "deployment.apps/nginx \n"
        "REVISION  CHANGE-CAUSE\n"
        "1         <none>\n"
        "4         kubectl set image deployment/nginx nginx=nginx:1.16.1 --record=true\n"
        "5         <none>\n"
        "\n"
    )


def test_no_history() -> None:
    assert rollout_history_table("deployment.apps/nginx", []) == (
        "deployment.apps/nginx \nNo rollout history found.\n"
    )


def test_revision_output_matches_reference() -> None:
    tmpl = replica_set("5d59d67564", image="nginx:1.16.1", replicas=3, revision=4, created=ts())[
        "spec"
    ]["template"]
    tmpl["metadata"]["annotations"] = {
        "kubernetes.io/change-cause": (
            "kubectl set image deployment/nginx nginx=nginx:1.16.1 --record=true"
        )
    }
    assert rollout_history_revision("deployment.apps/nginx", 4, tmpl) == (
        "deployment.apps/nginx with revision #4\n"
        "Pod Template:\n"
        "  Labels:\tapp=nginx\n"
        "\tpod-template-hash=5d59d67564\n"
        "  Annotations:\tkubernetes.io/change-cause: kubectl set image deployment/nginx "
        "nginx=nginx:1.16.1 --record=true\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.16.1\n"
        "    Port:\t80/TCP\n"
        "    Host Port:\t0/TCP\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
        "\n"
    )
