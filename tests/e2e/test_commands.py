"""The rest of the command surface, with the real mkctl: rollout verbs, delete forms, get forms."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import REPO, Mkctl, mkctl_importing

DEPLOY = "deployment/nginx-deployment"


def applied(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0


def test_pause_holds_a_template_change_until_resume(mkctl: Mkctl) -> None:
    applied(mkctl)
    assert mkctl("rollout", "pause", DEPLOY).out == "deployment.apps/nginx-deployment paused\n"
    again = mkctl("rollout", "pause", DEPLOY)
    assert (again.code, again.err) == (
        1,
        'error: deployments.apps "nginx-deployment" is already paused\n',
    )
    mkctl("set", "image", DEPLOY, "nginx=nginx:1.16.1")
    waiting = mkctl("rollout", "status", DEPLOY, "--watch=false")
    assert waiting.out == (
        'Waiting for deployment "nginx-deployment" rollout to finish: 0 out of 3 new replicas '
        "have been updated...\n"
    )
    assert len(json.loads(mkctl("get", "rs", "-o", "json").out)["items"]) == 1
    assert mkctl("rollout", "resume", DEPLOY).out == "deployment.apps/nginx-deployment resumed\n"
    done = mkctl("rollout", "status", DEPLOY)
    assert (done.code, done.out) == (0, 'deployment "nginx-deployment" successfully rolled out\n')


def test_restart_and_recorded_image_changes_appear_in_history(mkctl: Mkctl) -> None:
    applied(mkctl)
    assert mkctl("rollout", "restart", DEPLOY).out == "deployment.apps/nginx-deployment restarted\n"
    recorded = mkctl("set", "image", DEPLOY, "nginx=nginx:1.16.1", "--record")
    assert recorded.err == (
        "Flag --record has been deprecated, --record will be removed in the future\n"
    )
    history = mkctl("rollout", "history", DEPLOY).out.splitlines()
    assert history[:4] == [
        "deployment.apps/nginx-deployment ",
        "REVISION  CHANGE-CAUSE",
        "1         <none>",
        "2         <none>",
    ]
    assert history[4] == (
        "3         kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1 --record=true"
    )
    detail = mkctl("rollout", "history", DEPLOY, "--revision=2").out
    assert detail.startswith("deployment.apps/nginx-deployment with revision #2\nPod Template:\n")
    assert "  Annotations:\tkubectl.kubernetes.io/restartedAt: " in detail
    unchanged = mkctl("set", "image", DEPLOY, "nginx=nginx:1.16.1")
    assert (unchanged.code, unchanged.out) == (0, "")  # nothing changed: kubectl prints nothing


def test_delete_with_orphan_cascade_keeps_the_replicaset_and_its_pods(mkctl: Mkctl) -> None:
    applied(mkctl)
    pods = mkctl("get", "pods", "-o", "name").out
    deleted = mkctl("delete", DEPLOY, "--cascade=orphan")
    assert deleted.out == 'deployment.apps "nginx-deployment" deleted from default namespace\n'
    (rs,) = json.loads(mkctl("get", "rs", "-o", "json").out)["items"]
    assert "ownerReferences" not in rs["metadata"]
    assert mkctl("get", "pods", "-o", "name").out == pods
    by_label = mkctl("delete", "rs", "-l", "app=nginx")
    assert (
        by_label.out
        == f'replicaset.apps "{rs["metadata"]["name"]}" deleted from default namespace\n'
    )
    assert mkctl("get", "pods").err == "No resources found in default namespace.\n"


def test_namespaces_selectors_and_output_forms(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "samples/03-multi-doc.yaml").code == 0
    assert mkctl("get", "deploy").err == "No resources found in default namespace.\n"
    names = mkctl("get", "deploy", "-n", "shop", "-o", "name")
    assert names.out == "deployment.apps/backend\ndeployment.apps/frontend\n"
    wide = mkctl("get", "pods", "-A", "-l", "tier=web").out.splitlines()
    assert wide[0].split() == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert len(wide) == 3 and all(line.startswith("shop ") for line in wide[1:])
    one = json.loads(mkctl("get", "deploy/frontend", "-n", "shop", "-o=json").out)
    assert one["kind"] == "Deployment" and one["spec"]["replicas"] == 2
    several = json.loads(mkctl("get", "deploy", "-n", "shop", "-o", "json").out)
    assert several["kind"] == "List" and len(several["items"]) == 2
    yaml_out = mkctl("get", "ns", "shop", "-o", "yaml").out
    assert yaml_out.startswith("apiVersion: v1\nkind: Namespace\nmetadata:\n")


def test_describe_shows_the_deployment_and_its_events(mkctl: Mkctl) -> None:
    applied(mkctl)
    text = mkctl("describe", "deployment", "nginx-deployment").out
    assert text.startswith("Name:                   nginx-deployment\n")
    assert (
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable"
        in text
    )
    assert "  Normal  ScalingReplicaSet  " in text
    rs_text = mkctl("describe", "rs").out
    assert "Controlled By:  Deployment/nginx-deployment" in rs_text
    assert "Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed" in rs_text


def test_an_embedded_read_opens_the_sqlite_store_without_sqlalchemy(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    """SQLAlchemy's import alone cost 0.35-0.45 s of each command (bench/README.md)."""
    assert mkctl("apply", "-f", "samples/01-pod.yaml").code == 0
    printed, imported = mkctl_importing(tmp_path / "home", "get", "pods", "-o", "name")
    assert printed == ["pod/hello"]
    assert "controlplane.store" in imported and "sqlalchemy" not in imported
    # nor the controllers (the store exists), nor click and Typer (`minikubectl.fast_get`)
    assert not {"controlplane.controllers", "click", "typer"} & imported


def test_an_embedded_get_imports_none_of_the_writes_machinery(mkctl: Mkctl, tmp_path: Path) -> None:
    """Embedded, the API runs in the CLI; a read imports only the store, the reads and the
    Table printers: validation, managedFields, the event recorder, the patcher and what
    bootstraps a new store come with the first write (bench/README.md)."""
    assert mkctl("apply", "-f", "samples/01-pod.yaml").code == 0
    printed, imported = mkctl_importing(tmp_path / "home", "get", "pods")
    assert printed[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert printed[1].split()[0] == "hello" and len(printed) == 2
    assert "controlplane.store" in imported and "controlplane.apiserver.handlers" in imported
    assert (
        not {
            "controlplane.api.validation",
            "controlplane.api.managedfields.fieldmanager",
            "controlplane.api.events.recorder",
            "controlplane.api.patch",
            "controlplane.apiserver.watch",
            "controlplane.models.node_registration",
            "controlplane.store.postgres",
        }
        & imported
    )


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "minikubectl", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "rollout" in done.stdout


def test_record_writes_the_command_as_kubectl_does_flags_sorted_with_values(mkctl: Mkctl) -> None:
    """kubectl's parseCommandArguments: arguments, then each flag set as --name=value."""
    mkctl("apply", "-f", "samples/02-deployment.yaml")
    deploy = "deployment/nginx-deployment"
    assert mkctl("set", "image", deploy, "nginx=nginx:1.16.1", "--record").code == 0
    mkctl("set", "image", deploy, "nginx=nginx:1.17", "--record=true", "-n", "default")
    assert mkctl("rollout", "history", deploy).out.splitlines()[3:5] == [
        "2         kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1 --record=true",
        "3         kubectl set image deployment/nginx-deployment nginx=nginx:1.17 "
        "--namespace=default --record=true",
    ]


def test_describe_with_nothing_matching_says_so_on_stderr(mkctl: Mkctl) -> None:
    """describe.go: `No resources found in <ns> namespace.`, or without the namespace for -A."""
    nothing = mkctl("describe", "deployments")
    assert (nothing.code, nothing.out, nothing.err) == (
        0,
        "",
        "No resources found in default namespace.\n",
    )
    assert mkctl("describe", "pods", "-A", "-l", "app=none").err == "No resources found\n"


def test_api_resources_and_the_all_category(mkctl: Mkctl) -> None:
    """apiresources.go's columns and order (core group first, names within a group); `get
    all` expands the category as kubectl's category expander does."""
    listed = mkctl("api-resources", "--api-group=apps").out.splitlines()
    assert listed[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert [line.split()[0] for line in listed[1:]] == [
        "controllerrevisions",
        "daemonsets",
        "deployments",
        "replicasets",
        "statefulsets",
    ]
    assert mkctl("api-resources", "-o", "name", "--namespaced=false").out == (
        "namespaces\nnodes\npersistentvolumes\ncustomresourcedefinitions.apiextensions.k8s.io\n"
        "storageclasses.storage.k8s.io\n"
    )
    mkctl("apply", "-f", "samples/02-deployment.yaml")
    blocks = mkctl("get", "all").out.split("\n\n")
    # the `kubernetes` Service is in `default`, as on every cluster
    assert [b.splitlines()[1].split("/")[0] for b in blocks] == [
        "pod",
        "service",
        "deployment.apps",
        "replicaset.apps",
    ]


def test_create_deployment_generates_what_kubectl_generates(mkctl: Mkctl) -> None:
    """create_deployment.go: labels app=NAME, one container per image named after it (`_`
    and `.` sanitised with a random suffix), the port on the first, resources and strategy
    empty."""
    shown = mkctl(
        "create",
        "deployment",
        "web",
        "--image=nginx:1.25",
        "--replicas=2",
        "--port=80",
        "--dry-run=client",
        "-o",
        "yaml",
    )
    assert shown.out == (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n"
        "  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n"
        "  strategy: {}\n  template:\n    metadata:\n      labels:\n        app: web\n"
        "    spec:\n      containers:\n      - image: nginx:1.25\n        name: nginx\n"
        "        ports:\n        - containerPort: 80\n        resources: {}\nstatus: {}\n"
    )
    created = mkctl("create", "deployment", "web", "--image=nginx:1.25", "--image=my_app.io/x_y")
    assert created.out == "deployment.apps/web created\n"
    containers = json.loads(mkctl("get", "deploy", "web", "-o", "json").out)["spec"]["template"]
    names = [c["name"] for c in containers["spec"]["containers"]]
    assert names[0] == "nginx" and names[1].startswith("x-y-") and len(names[1]) == 9
    assert mkctl("create", "deployment", "web").err == 'error: required flag(s) "image" not set\n'


def test_usage_errors_are_kubectls(mkctl: Mkctl) -> None:
    """pflag's unknown flag and cobra's unknown command with its suggestions, exit 1."""
    flag = mkctl("get", "pods", "--foo")
    assert (flag.code, flag.err) == (
        1,
        "error: unknown flag: --foo\nSee 'mkctl get --help' for usage.\n",
    )
    assert mkctl("gett").err == (
        'error: unknown command "gett" for "mkctl"\n\nDid you mean this?\n\tget\n\tset\n'
    )
    unknown = mkctl("kustomize")
    assert (unknown.code, unknown.err) == (1, 'error: unknown command "kustomize" for "mkctl"\n')


def test_a_command_group_alone_prints_its_help_and_exits_1(mkctl: Mkctl) -> None:
    """kubectl's cmd/util DefaultSubCommandRun: `kubectl rollout` prints the group's help on
    stdout, no `error:` line, and exits 1."""
    alone = mkctl("rollout")
    assert (alone.code, alone.err) == (1, "")
    assert "Manage the rollout of one or many resources." in alone.out
    assert "history" in alone.out and "undo" in alone.out


def test_types_may_be_named_with_their_version_and_group(mkctl: Mkctl) -> None:
    """kubernetes.io's Deployment page types `deployment.v1.apps/nginx-deployment`."""
    mkctl("apply", "-f", "samples/02-deployment.yaml")
    for spelled in ("deployment.v1.apps/nginx-deployment", "deployments.apps/nginx-deployment"):
        shown = mkctl("get", spelled, "-o", "name")
        assert (shown.code, shown.out) == (0, "deployment.apps/nginx-deployment\n")
