"""label, annotate, patch, edit, replace, diff and --dry-run with the real mkctl.

Every refused change prints kubectl's message, exits 1 and leaves the store as it was; every
dry run prints kubectl's `(dry run)` / `(server dry run)` line and writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Mkctl
from tests.e2e.test_bad_input import store_rows

DEPLOY = "deployment/nginx-deployment"


@pytest.fixture
def home(mkctl: Mkctl, tmp_path: Path) -> Path:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    return tmp_path / "home"


def unchanged(mkctl: Mkctl, home: Path, *args: str) -> tuple[int, str, str]:
    """Run a command that must not write; return what it printed."""
    before = store_rows(home)
    result = mkctl(*args)
    assert store_rows(home) == before, args
    assert "Traceback" not in result.err
    return result.code, result.out, result.err


def deployment(mkctl: Mkctl) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(mkctl("get", DEPLOY, "-o", "json").out)
    return loaded


def test_label_and_annotate(mkctl: Mkctl, home: Path) -> None:
    assert mkctl("label", DEPLOY, "tier=web").out == "deployment.apps/nginx-deployment labeled\n"
    assert unchanged(mkctl, home, "label", DEPLOY, "tier=db", "app=x") == (
        1,
        "",
        "'app' already has a value (nginx), and --overwrite is false\n"
        "'tier' already has a value (web), and --overwrite is false\n",
    )
    assert unchanged(mkctl, home, "label", DEPLOY, "tier=web") == (
        0,
        "deployment.apps/nginx-deployment not labeled\n",
        "",
    )
    assert mkctl("label", DEPLOY, "tier=db", "--overwrite").out.endswith(" labeled\n")
    assert mkctl("label", DEPLOY, "tier-", "stage=1").out.endswith(" modified\n")
    assert mkctl("label", DEPLOY, "stage-").out.endswith(" unlabeled\n")
    missing = mkctl("label", DEPLOY, "stage-")
    assert missing.out == 'label "stage" not found.\ndeployment.apps/nginx-deployment not labeled\n'
    assert unchanged(mkctl, home, "label", DEPLOY, "bad key=1")[2].startswith(
        'The Deployment "nginx-deployment" is invalid: metadata.labels: Invalid value: "bad key": '
    )
    assert unchanged(mkctl, home, "label", DEPLOY, "a=b=c") == (
        1,
        "",
        "error: invalid label spec: a=b=c\n",
    )
    assert unchanged(mkctl, home, "label", "pods", "x=y")[2] == (
        "error: resource(s) were provided, but no name was specified\n"
    )
    labeled = mkctl("label", "pods", "-l", "app=nginx", "canary=true").out.splitlines()
    assert len(labeled) == 3 and all(line.endswith(" labeled") for line in labeled)
    assert len(mkctl("get", "pods", "-l", "canary", "-o", "name").out.splitlines()) == 3

    assert mkctl("annotate", DEPLOY, "owner=team-a").out == (
        "deployment.apps/nginx-deployment annotated\n"
    )
    assert unchanged(mkctl, home, "annotate", DEPLOY, "owner=team-b")[2] == (
        "error: --overwrite is false but found the following declared annotation(s): "
        "'owner' already has a value (team-a)\n"
    )
    assert mkctl("annotate", DEPLOY, "owner-").code == 0
    annotations = deployment(mkctl)["metadata"]["annotations"]  # type: ignore[index]
    assert "owner" not in annotations


def test_patch_types_and_bad_bodies(mkctl: Mkctl, home: Path) -> None:
    strategic = mkctl(
        "patch",
        DEPLOY,
        "-p",
        '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.16.1"}]}}}}',
    )
    assert strategic.out == "deployment.apps/nginx-deployment patched\n"
    template = deployment(mkctl)["spec"]["template"]["spec"]  # type: ignore[index]
    assert template["containers"][0]["image"] == "nginx:1.16.1"
    assert template["containers"][0]["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    merge = mkctl("patch", DEPLOY, "--type=merge", "-p", "spec: {replicas: 4}")
    assert merge.out == "deployment.apps/nginx-deployment patched\n"
    json_patch = mkctl(
        "patch",
        DEPLOY,
        "--type",
        "json",
        "-p",
        '[{"op":"replace","path":"/spec/replicas","value":2}]',
    )
    assert json_patch.out == "deployment.apps/nginx-deployment patched\n"
    again = mkctl("patch", DEPLOY, "--type=merge", "-p", '{"spec":{"replicas":2}}')
    assert again.out == "deployment.apps/nginx-deployment patched (no change)\n"

    bad = {
        '{"spec":': "Error from server (BadRequest): unexpected end of JSON input",
        '{"spec":{"replicas":}}': "Error from server (BadRequest): invalid character '}' "
        "looking for beginning of value",
        '{"spec":{"replicas":-1}}': 'The Deployment "nginx-deployment" is invalid: '
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "[1]": "Error from server (BadRequest): json: cannot unmarshal array into Go value of "
        "type map[string]interface {}",
    }
    for body, message in bad.items():
        assert unchanged(mkctl, home, "patch", DEPLOY, "-p", body) == (1, "", message + "\n")
    failing_op = unchanged(
        mkctl, home, "patch", DEPLOY, "--type=json", "-p", '[{"op":"remove","path":"/spec/nope"}]'
    )
    assert failing_op == (
        1,
        "",
        "The request is invalid: the server rejected our request due to an error in our request: "
        "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: "
        "missing value\n",
    )
    assert unchanged(mkctl, home, "patch", DEPLOY, "--type=xml", "-p", "{}")[2] == (
        'error: --type must be one of [json merge strategic], not "xml"\n'
    )
    assert unchanged(mkctl, home, "patch", DEPLOY)[2] == (
        "error: must specify --patch or --patch-file containing the contents of the patch\n"
    )


def test_dry_runs_write_nothing(mkctl: Mkctl, home: Path, tmp_path: Path) -> None:
    sample = "samples/02-deployment.yaml"
    pod = mkctl("get", "pods", "-o", "name").out.splitlines()[0]
    expected = [
        (
            ("apply", "-f", sample, "--dry-run=client"),
            "deployment.apps/nginx-deployment configured (dry run)\n",
        ),
        (
            ("apply", "-f", sample, "--dry-run=server"),
            "deployment.apps/nginx-deployment unchanged (server dry run)\n",
        ),
        (
            ("apply", "-f", "samples/01-pod.yaml", "--dry-run=server"),
            "pod/hello created (server dry run)\n",
        ),
        (
            ("create", "-f", "samples/01-pod.yaml", "--dry-run=client"),
            "pod/hello created (dry run)\n",
        ),
        (
            ("scale", DEPLOY, "--replicas=7", "--dry-run=server"),
            "deployment.apps/nginx-deployment scaled (server dry run)\n",
        ),
        (
            ("scale", DEPLOY, "--replicas=7", "--dry-run=client"),
            "deployment.apps/nginx-deployment scaled (dry run)\n",
        ),
        (
            ("set", "image", DEPLOY, "nginx=nginx:1.17", "--dry-run=server"),
            "deployment.apps/nginx-deployment image updated (server dry run)\n",
        ),
        (
            ("delete", DEPLOY, "--dry-run=server"),
            'deployment.apps "nginx-deployment" deleted from default namespace (server dry run)\n',
        ),
        (
            ("delete", pod, "--dry-run=client"),
            f'pod "{pod[4:]}" deleted from default namespace (dry run)\n',
        ),
        (
            ("patch", DEPLOY, "-p", '{"spec":{"replicas":9}}', "--dry-run=server"),
            "deployment.apps/nginx-deployment patched\n",
        ),
        (
            ("label", DEPLOY, "x=1", "--dry-run=client"),
            "deployment.apps/nginx-deployment labeled (dry run)\n",
        ),
        (
            ("annotate", DEPLOY, "x=1", "--dry-run=server"),
            "deployment.apps/nginx-deployment annotated (server dry run)\n",
        ),
    ]
    for args, out in expected:
        assert unchanged(mkctl, home, *args) == (0, out, ""), args
    server = unchanged(
        mkctl,
        home,
        "scale",
        DEPLOY,
        "--replicas=7",
        "--dry-run=server",
        "-o",
        "jsonpath={.spec.replicas}",
    )
    assert server == (0, "7", "")
    refused = unchanged(mkctl, home, "create", "-f", sample, "--dry-run=server")
    assert refused[2] == (
        'Error from server (AlreadyExists): error when creating "samples/02-deployment.yaml": '
        'deployments.apps "nginx-deployment" already exists\n'
    )
    assert unchanged(mkctl, home, "scale", DEPLOY, "--replicas=7", "--dry-run=maybe")[2] == (
        'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n'
    )
    bare = unchanged(mkctl, home, "scale", DEPLOY, "--replicas=7", "--dry-run")
    assert bare[1].endswith(" scaled (dry run)\n")
    assert "--dry-run is deprecated and can be replaced with --dry-run=client." in bare[2]


def test_edit_saves_cancels_and_reopens_on_errors(mkctl: Mkctl, home: Path, tmp_path: Path) -> None:
    import os
    import subprocess

    from tests.e2e.conftest import REPO, mkctl_command

    def edit(editor: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MKCTL_", "KUBE_EDITOR"))}
        env |= {"MKCTL_HOME": str(home), "EDITOR": editor, "TMPDIR": str(tmp_path)}
        return subprocess.run(
            [*mkctl_command(), "edit", DEPLOY], cwd=REPO, env=env, capture_output=True, text=True
        )

    saved = edit("sed -i s/replicas:.3/replicas:\\ 4/")
    assert (saved.returncode, saved.stdout, saved.stderr) == (
        0,
        "deployment.apps/nginx-deployment edited\n",
        "",
    )
    assert deployment(mkctl)["spec"]["replicas"] == 4  # type: ignore[index]
    before = store_rows(home)
    cancelled = edit("true")
    assert (cancelled.returncode, cancelled.stderr) == (0, "Edit cancelled, no changes made.\n")
    invalid = edit("sed -i s/replicas:.4/replicas:\\ -1/")
    assert invalid.returncode == 1
    lines = invalid.stderr.splitlines()
    assert lines[0] == 'error: deployments.apps "nginx-deployment" is invalid'
    assert lines[1].startswith('A copy of your changes has been stored to "')
    assert lines[2] == "error: Edit cancelled, no valid changes were saved."
    kept = Path(lines[1].split('"')[1]).read_text()
    assert (
        '# deployments.apps "nginx-deployment" was not valid:\n'
        "# * spec.replicas: Invalid value: -1: " in kept
    )
    assert store_rows(home) == before


def test_replace_and_diff(mkctl: Mkctl, home: Path, tmp_path: Path) -> None:
    manifest = json.loads(mkctl("get", DEPLOY, "-o", "json").out)
    manifest["spec"]["replicas"] = 1
    del manifest["metadata"]["resourceVersion"]
    path = tmp_path / "web.json"
    path.write_text(json.dumps(manifest))
    assert mkctl("replace", "-f", str(path), "--dry-run=client").out == (
        "deployment.apps/nginx-deployment replaced (dry run)\n"
    )
    assert mkctl("replace", "-f", str(path)).out == "deployment.apps/nginx-deployment replaced\n"
    assert deployment(mkctl)["spec"]["replicas"] == 1  # type: ignore[index]
    assert unchanged(mkctl, home, "replace")[2] == (
        "error: Must specify --filename to replace\nSee 'mkctl replace -h' for help and examples\n"
    )

    drift = unchanged(mkctl, home, "diff", "-f", "samples/02-deployment.yaml")
    assert drift[0] == 1
    header = drift[1].splitlines()[:3]
    assert header[0].startswith("diff -u -N /") and header[0].endswith(
        "/apps.v1.Deployment.default.nginx-deployment"
    )
    assert header[1].startswith("--- ") and header[2].startswith("+++ ")
    assert "-  replicas: 1\n+  replicas: 3\n" in drift[1]
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    assert unchanged(mkctl, home, "diff", "-f", "samples/02-deployment.yaml") == (0, "", "")
    new = unchanged(mkctl, home, "diff", "-f", "samples/01-pod.yaml")
    assert new[0] == 1 and "1970-01-01 00:00:00.000000000" in new[1]
    assert unchanged(mkctl, home, "diff", "-f", "nope.yaml") == (
        2,
        "",
        'error: the path "nope.yaml" does not exist\n',
    )
