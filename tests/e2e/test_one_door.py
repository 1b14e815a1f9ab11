"""One door: with a daemon, every command (writes too) goes through its REST API.

The same commands run embedded and through a daemon must print the same errors, and a
multi-document apply with one bad document must write nothing either way. A write command
through a daemon never imports the store, SQLAlchemy or the controllers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl, mkctl_importing
from tests.e2e.test_bad_input import CASES

# What only the store side imports: none of it may load when a daemon answers.
STORE_SIDE = (
    "sqlalchemy",
    "sqlite3",
    "controlplane.store",
    "controlplane.api.verbs",
    "controlplane.bootstrap",
    "controlplane.cluster",
    "controlplane.controllers",
    "controlplane.runtime",
)

# Bad input the server itself refuses, or that needs what the server answers (arguments and
# messages are format strings, as in test_bad_input: `{file}`, `{{` for a brace).
SERVER_CASES = {
    "invalid-object",
    "wrong-type",
    "missing-object",
    "missing-object-undo",
    "missing-revision",
    "no-previous-revision",
    "undo-missing-object",
    "unknown-container",
}
MORE_CASES = [
    (
        "create-existing",
        None,
        ["create", "-f", "samples/02-deployment.yaml"],
        'Error from server (AlreadyExists): error when creating "samples/02-deployment.yaml": '
        'deployments.apps "nginx-deployment" already exists',
    ),
    (
        "delete-missing",
        None,
        ["delete", "deployment", "nope"],
        'Error from server (NotFound): deployments.apps "nope" not found',
    ),
    (
        "patch-invalid",
        None,
        ["patch", "deployment", "nginx-deployment", "-p", '{{"spec":{{"replicas":-2}}}}'],
        'The Deployment "nginx-deployment" is invalid: spec.replicas: Invalid value: -2: '
        "must be greater than or equal to 0",
    ),
    (
        "json-patch-missing-path",
        None,
        [
            "patch",
            "deployment",
            "nginx-deployment",
            "--type=json",
            "-p",
            '[{{"op":"remove","path":"/spec/nothing"}}]',
        ],
        "The request is invalid: the server rejected our request due to an error in our "
        "request: error in remove for path: '/spec/nothing': Unable to remove nonexistent "
        "key: nothing: missing value",
    ),
]
BAD_INPUT = [c for c in CASES if c[0] in SERVER_CASES] + MORE_CASES


@pytest.fixture(params=["embedded", "daemon"])
def mode(request: pytest.FixtureRequest, mkctl: Mkctl) -> Iterator[str]:
    """Each test once embedded and once through a daemon (started and stopped here)."""
    if request.param == "daemon":
        started = mkctl("cluster", "start", "--speed", "50")
        assert started.code == 0, started.err
        yield "daemon"
        assert mkctl("cluster", "stop").code == 0
    else:
        yield "embedded"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("text", "args", "message"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_prints_the_same_embedded_and_through_a_daemon(
    mkctl: Mkctl,
    mode: str,
    tmp_path: Path,
    text: str | None,
    args: list[str],
    message: str,
) -> None:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    rolled = mkctl("rollout", "status", "deployment/nginx-deployment", "--timeout=60s")
    assert rolled.code == 0, rolled.err
    file = write(tmp_path, "input.yaml", text) if text is not None else ""

    def fill(template: str) -> str:
        return template.format(file=file, dir=str(tmp_path))

    argv = [fill(a) for a in args]
    result = mkctl(*argv)
    assert (result.code, result.out, result.err) == (1, "", fill(message) + "\n")
    (deploy,) = json.loads(mkctl("get", "deploy", "-o", "json").out)["items"]
    assert deploy["spec"]["replicas"] == 3  # nothing was written
    assert deploy["metadata"]["generation"] == 1


@pytest.mark.parametrize(
    ("apply", "verb"),
    [(["apply"], "created"), (["apply", "--server-side"], "serverside-applied")],
    ids=["client-side", "server-side"],
)
def test_a_multi_document_apply_with_one_bad_document_writes_nothing(
    mkctl: Mkctl, mode: str, tmp_path: Path, apply: list[str], verb: str
) -> None:
    docs = "\n---\n".join(
        [
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop",
            WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.14.2").replace(
                "  name: web\n", "  name: web\n  namespace: shop\n", 1
            ),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n"
            "  - {name: c, image: busybox}",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n  - {name: c}",
        ]
    )
    bad = mkctl(*apply, "-f", write(tmp_path, "multi.yaml", docs))
    assert (bad.code, bad.out, bad.err) == (
        1,
        "",
        'The Pod "b" is invalid: spec.containers[0].image: Required value\n',
    )
    assert mkctl("get", "namespace", "shop").code == 1
    assert mkctl("get", "pod", "ok").code == 1
    # The same file without the bad document: the Deployment's namespace is created first.
    good = mkctl(*apply, "-f", write(tmp_path, "good.yaml", docs.rsplit("\n---\n", 1)[0]))
    assert good.out == f"namespace/shop {verb}\ndeployment.apps/web {verb}\npod/ok {verb}\n", (
        good.err
    )
    assert mkctl("get", "deployment", "web", "-n", "shop").code == 0


def test_with_a_daemon_writes_go_over_http_without_the_store(mkctl: Mkctl, tmp_path: Path) -> None:
    home = tmp_path / "home"
    manifest = write(tmp_path, "web.yaml", WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.14.2"))
    assert mkctl("cluster", "start", "--speed", "50").code == 0
    try:
        commands = [
            ["apply", "-f", manifest],
            ["apply", "--server-side", "-f", manifest],
            ["scale", "deployment", "web", "--replicas=4"],
            ["set", "image", "deployment/web", "nginx=nginx:1.16.1"],
            ["rollout", "status", "deployment/web", "--timeout=60s"],
            ["rollout", "undo", "deployment/web"],
            ["label", "deployment", "web", "tier=front"],
            ["node", "add", "node-4"],
        ]
        for args in [*commands, ["delete", "deployment", "web"]]:
            if args[0] == "delete":  # the appliers named themselves in managedFields
                shown = mkctl("get", "deploy", "-o", "json", "--show-managed-fields").out
                (deploy,) = json.loads(shown)["items"]
                fields = deploy["metadata"]["managedFields"]
                managers = {(e["manager"], e["operation"]) for e in fields}
                assert {("kubectl", "Apply"), ("kubectl-label", "Update")} <= managers, managers
            printed, imported = mkctl_importing(home, *args)
            loaded = sorted(
                m for m in imported for side in STORE_SIDE if m == side or m.startswith(side + ".")
            )
            assert loaded == [], (args, loaded)
            assert printed, args
        assert printed == ['deployment.apps "web" deleted from default namespace']
        nodes = mkctl("get", "nodes", "-o", "name").out.split()
        assert "node/node-4" in nodes
        assert mkctl("get", "deployment", "web").code == 1
    finally:
        mkctl("cluster", "stop")
