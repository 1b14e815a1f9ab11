"""Bad input: kubectl-shaped message on stderr, exit 1, no traceback, and the store untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from minikubectl.commands.rollout import ROLLBACK_WARNING
from tests.e2e.conftest import Mkctl, Result

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {selector}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
"""


def store_rows(home: Path) -> list[tuple]:
    """Every object, change-log and lease row: what must not change after a failed command."""
    with sqlite3.connect(home / "cluster.db") as db:
        objects = db.execute("SELECT kind, namespace, name, body FROM objects ORDER BY 1, 2, 3")
        changes = db.execute("SELECT revision, type, body FROM changes ORDER BY revision")
        leases = db.execute("SELECT * FROM leases ORDER BY name")
        return [*objects.fetchall(), *changes.fetchall(), *leases.fetchall()]


@pytest.fixture
def seeded(mkctl: Mkctl, tmp_path: Path) -> Path:
    """A cluster with the lesson's Deployment in it; returns its MKCTL_HOME."""
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    return tmp_path / "home"


def failed(result: Result, message: str) -> None:
    assert result.code == 1, result
    assert result.err == message + "\n"
    assert result.out == ""
    assert "Traceback" not in result.err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# kubectl's rollback warns first about an object that `apply` manages (rollback.go).
APPLIED_WARNING = ROLLBACK_WARNING.format(resource="deployments", name="nginx-deployment")

CASES = [
    (
        "missing-file",
        None,
        ["apply", "-f", "{dir}/nope.yaml"],
        'error: the path "{dir}/nope.yaml" does not exist',
    ),
    (
        "yaml-syntax",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: indent\n",
        ["apply", "-f", "{file}"],
        "error: error parsing {file}: error converting YAML to JSON: yaml: line 5 (document 1): "
        "mapping values are not allowed in this context",
    ),
    (
        "second-document-syntax",
        "kind: Pod\n---\nkind: [\n",
        ["apply", "-f", "{file}"],
        "error: error parsing {file}: error converting YAML to JSON: yaml: line 4 (document 2): "
        "did not find expected node content",
    ),
    (
        "not-a-mapping",
        "- a\n- b\n",
        ["apply", "-f", "{file}"],
        "error: error parsing {file}: document 1: error unmarshaling JSON: json: cannot unmarshal "
        "array into Go value of type map[string]interface {{}}",
    ),
    (
        "list-items-against-their-schemas",  # kubectl's client-side check of a List's items
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:"
        "\n    name: ok\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: d}\n"
        "  spec: {replicas: x, extra: 1}\n",
        ["create", "-f", "{file}"],
        'error: error validating "{file}": error validating data: [ValidationError(Deployment.'
        'spec): unknown field "extra" in io.k8s.api.apps.v1.DeploymentSpec, ValidationError('
        "Deployment.spec.replicas): invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: "
        'got "string", expected "integer", ValidationError(Deployment.spec): missing required '
        'field "selector" in io.k8s.api.apps.v1.DeploymentSpec, ValidationError(Deployment.spec):'
        ' missing required field "template" in io.k8s.api.apps.v1.DeploymentSpec]; if you choose '
        "to ignore these errors, turn validation off with --validate=false",
    ),
    (
        "duplicate-key",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n",
        ["apply", "-f", "{file}"],
        "error: error parsing {file}: error converting YAML to JSON: yaml: line 5 (document 1): "
        'key "name" already set in map',
    ),
    (
        "unknown-kind",
        "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n",
        ["apply", "-f", "{file}"],
        'error: resource mapping not found for name: "x" namespace: "" from "{file}": no matches '
        'for kind "Foo" in version "v1"\nensure CRDs are installed first',
    ),
    (
        "no-kind",
        "apiVersion: v1\nmetadata:\n  name: x\n",
        ["apply", "-f", "{file}"],
        'error: error validating "{file}": error validating data: kind not set; if you choose to '
        "ignore these errors, turn validation off with --validate=false",
    ),
    (
        "invalid-object",
        DEPLOYMENT.format(replicas=-1, selector="other"),
        ["apply", "-f", "{file}"],
        'The Deployment "web" is invalid: \n'
        "* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
        '* spec.template.metadata.labels: Invalid value: {{"app":"web"}}: `selector` does not '
        "match template `labels`",
    ),
    (
        "wrong-type",
        DEPLOYMENT.format(replicas='"3"', selector="web"),
        ["apply", "-f", "{file}"],
        'Error from server (BadRequest): error when creating "{file}": Deployment in version "v1" '
        "cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field "
        "DeploymentSpec.spec.replicas of type int32",
    ),
    (
        "missing-object",
        None,
        ["get", "deployment", "nope"],
        'Error from server (NotFound): deployments.apps "nope" not found',
    ),
    (
        "missing-object-undo",
        None,
        ["rollout", "undo", "deployment/nope"],
        'Error from server (NotFound): deployments.apps "nope" not found',
    ),
    (
        "missing-revision",
        None,
        ["rollout", "undo", "deployment/nginx-deployment", "--to-revision=7"],
        f"{APPLIED_WARNING}\nerror: unable to find specified revision 7 in history",
    ),
    (
        "missing-revision-detail",
        None,
        ["rollout", "history", "deployment/nginx-deployment", "--revision=9"],
        "error: unable to find the specified revision",
    ),
    (
        "no-previous-revision",
        None,
        ["rollout", "undo", "deployment/nginx-deployment"],
        f'{APPLIED_WARNING}\nerror: no rollout history found for deployment "nginx-deployment"',
    ),
    (
        "unknown-type",
        None,
        ["get", "foos"],
        'error: the server doesn\'t have a resource type "foos"',
    ),
    (
        "undo-missing-object",  # kubectl fetches before it looks for a rollbacker
        None,
        ["rollout", "undo", "rs/x"],
        'Error from server (NotFound): replicasets.apps "x" not found',
    ),
    (
        "scale-without-replicas",
        None,
        ["scale", "deployment/nginx-deployment"],
        'error: required flag(s) "replicas" not set',
    ),
    (
        "scale-to-text",  # pflag's words (flag.go FlagSet.Set), not click's
        None,
        ["scale", "deployment/nginx-deployment", "--replicas=abc"],
        'error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": '
        "invalid syntax\nSee 'mkctl scale --help' for usage.",
    ),
    (
        "chunk-size-not-an-integer",
        None,
        ["get", "pods", "--chunk-size=1.5"],
        'error: invalid argument "1.5" for "--chunk-size" flag: strconv.ParseInt: parsing '
        "\"1.5\": invalid syntax\nSee 'mkctl get --help' for usage.",
    ),
    (
        "scale-beyond-int64",  # strconv.ParseInt(s, 0, 64), not Python's unbounded int
        None,
        ["scale", "deployment/nginx-deployment", "--replicas=99999999999999999999"],
        'error: invalid argument "99999999999999999999" for "--replicas" flag: '
        'strconv.ParseInt: parsing "99999999999999999999": value out of range\n'
        "See 'mkctl scale --help' for usage.",
    ),
    (
        "create-deployment-beyond-int32",  # an int32 flag, named with its shorthand
        None,
        ["create", "deployment", "big", "--image=nginx", "-r", "2147483648"],
        'error: invalid argument "2147483648" for "-r, --replicas" flag: '
        'strconv.ParseInt: parsing "2147483648": value out of range\n'
        "See 'mkctl create deployment --help' for usage.",
    ),
    (
        "scale-to-minus-one",
        None,
        ["scale", "deployment/nginx-deployment", "--replicas=-1"],
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or "
        "equal to 0",
    ),
    (
        "scale-current-replicas-differ",  # kubectl's ScalePrecondition, checked on the Scale
        None,
        ["scale", "deployment/nginx-deployment", "--replicas=1", "--current-replicas=2"],
        "error: Expected replicas to be 2, was 3",
    ),
    (
        "scale-current-replicas-below-minus-one",
        None,
        ["scale", "deployment/nginx-deployment", "--replicas=1", "--current-replicas=-2"],
        "error: The --current-replicas must specify an integer of -1 or greater",
    ),
    (
        "scale-resource-version-of-two",
        None,
        [
            "scale",
            "deploy",
            "nginx-deployment",
            "nginx-deployment",
            "--replicas=1",
            "--resource-version=1",
        ],
        "error: cannot use --resource-version with multiple resources",
    ),
    (
        "unknown-container",
        None,
        ["set", "image", "deployment/nginx-deployment", "web=nginx:2"],
        'error: unable to find container named "web"',
    ),
    (
        "bad-cascade",
        None,
        ["delete", "deployment", "nginx-deployment", "--cascade=sideways"],
        'error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"',
    ),
]


@pytest.mark.parametrize(
    ("text", "args", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_fails_cleanly_and_writes_nothing(
    mkctl: Mkctl, seeded: Path, tmp_path: Path, text: str | None, args: list[str], message: str
) -> None:
    file = write(tmp_path, "input.yaml", text) if text is not None else ""
    fill = {"file": file, "dir": str(tmp_path)}
    before = store_rows(seeded)
    failed(mkctl(*[a.format(**fill) for a in args]), message.format(**fill))
    assert store_rows(seeded) == before


def test_one_bad_document_means_nothing_is_written_and_every_error_is_reported(
    mkctl: Mkctl, seeded: Path, tmp_path: Path
) -> None:
    docs = "\n---\n".join(
        [
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: []",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n"
            "  - {name: c, image: busybox}",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n  - {name: c}",
        ]
    )
    before = store_rows(seeded)
    failed(
        mkctl("apply", "-f", write(tmp_path, "multi.yaml", docs)),
        'The Pod "a" is invalid: spec.containers: Required value\n'
        'The Pod "b" is invalid: spec.containers[0].image: Required value',
    )
    assert store_rows(seeded) == before
    assert mkctl("get", "pod", "ok").code == 1


def test_create_of_an_existing_object_names_the_file(mkctl: Mkctl, seeded: Path) -> None:
    before = store_rows(seeded)
    failed(
        mkctl("create", "-f", "samples/02-deployment.yaml"),
        'Error from server (AlreadyExists): error when creating "samples/02-deployment.yaml": '
        'deployments.apps "nginx-deployment" already exists',
    )
    assert store_rows(seeded) == before
