"""The writes mkctl sends are kubectl 1.37's: the same commands, run by both tools against one
daemon (each in a namespace of its own), log the same write requests at `-v=6` once the
namespace is set aside: the same paths and the same query keys in the same order
(`fieldManager`, `fieldValidation` only where kubectl sends it, `scale` on `/scale`).

mkctl's `apply` and `create -f` check every document with a server dry run before writing
any (all or nothing, `minikubectl/manifest_writes.py`); those `dryRun=All` requests are
mkctl's own and left out of the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from tests.clients import Result, kubectl
from tests.e2e.clients.conftest import Served, eventually

RESPONSE = re.compile(r'"Response" verb="(POST|PUT|PATCH)" url="https?://[^/]+([^"]*)"')

CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: {mode}
"""
SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: token
stringData:
  key: value
"""

# What each tool types, after `-n NAMESPACE -v=6`; `{file}` is a manifest on stdin.
STEPS: list[tuple[tuple[str, ...], str]] = [
    (("create", "deployment", "web", "--image=nginx:1.25", "--replicas=1"), ""),
    (("create", "configmap", "literal", "--from-literal=a=b", "--validate=warn"), ""),
    (("create", "service", "clusterip", "front", "--tcp=80:8080", "--validate=false"), ""),
    (("apply", "-f", "-"), CONFIG_MAP.format(mode="one")),
    (("apply", "-f", "-"), CONFIG_MAP.format(mode="two")),
    (("replace", "-f", "-", "--validate=ignore"), CONFIG_MAP.format(mode="three")),
    (("create", "-f", "-"), SECRET),
    (
        ("apply", "--server-side", "-f", "-", "--validate=false"),
        CONFIG_MAP.format(mode="four").replace("settings", "applied"),
    ),
    (("expose", "deployment", "web", "--port=80"), ""),
    (("run", "solo", "--image=nginx:1.25"), ""),
    (("set", "image", "deployment/web", "nginx=nginx:1.26"), ""),
    (("set", "resources", "deployment/web", "--limits=cpu=200m"), ""),
    (("label", "deployment", "web", "tier=front"), ""),
    (("annotate", "deployment", "web", "note=hello"), ""),
    (("patch", "deployment", "web", "-p", '{"spec":{"minReadySeconds":1}}'), ""),
    (("rollout", "restart", "deployment/web"), ""),
    (("rollout", "undo", "deployment/web"), ""),
    (("scale", "deployment", "web", "--replicas=2"), ""),
]


def writes(result: Result, namespace: str) -> list[str]:
    """The write requests a `-v=6` run logged, with its namespace set aside."""
    assert result.code == 0, result.err
    return [
        f"{verb} {path.replace(f'/namespaces/{namespace}/', '/namespaces/NS/')}"
        for verb, path in RESPONSE.findall(result.err)
        if "dryRun=All" not in path
    ]


@pytest.fixture(scope="module")
def namespaces(served: Served) -> Iterator[tuple[str, str]]:
    for namespace in ("kubectl-side", "mkctl-side"):
        assert served.mkctl("create", "namespace", namespace).code == 0
    yield "kubectl-side", "mkctl-side"
    served.mkctl("delete", "namespace", "kubectl-side", "mkctl-side", "--wait=false")


def test_each_command_sends_the_writes_kubectl_sends(
    served: Served, namespaces: tuple[str, str]
) -> None:
    ours, theirs = namespaces[1], namespaces[0]
    for argv, stdin in STEPS:
        if argv[0] == "rollout" and argv[1] == "undo":  # a second revision to go back from
            for namespace in namespaces:
                eventually(lambda ns=namespace: _revisions(served, ns) >= 3)
        expected = writes(kubectl(served.home, "-n", theirs, "-v=6", *argv, stdin=stdin), theirs)
        sent = writes(served.mkctl("-n", ours, "-v=6", *argv, stdin=stdin or None), ours)
        assert sent == expected, argv
        assert expected, argv  # every step writes something
    # the last one: the scale subresource, as kubectl's scaler patches it
    assert sent == ["PATCH /apis/apps/v1/namespaces/NS/deployments/web/scale"]


def _revisions(served: Served, namespace: str) -> int:
    listed = served.mkctl("get", "rs", "-n", namespace, "-o", "name")
    return len(listed.out.split())


@pytest.mark.parametrize(
    ("flag", "warned"),
    [("--validate=warn", True), ("--validate=false", False), ("--validate=ignore", False)],
)
def test_unknown_fields_with_validate(
    served: Served, namespaces: tuple[str, str], flag: str, warned: bool
) -> None:
    """`warn` writes and shows the server's warning; `false`/`ignore` drop the field
    silently; both tools alike."""
    manifest = CONFIG_MAP.format(mode="x").replace("\ndata:", "\nextra: 1\ndata:")
    name = f"unknown-{flag.rpartition('=')[2]}"
    manifest = manifest.replace("name: settings", f"name: {name}")
    theirs = kubectl(served.home, "-n", namespaces[0], "create", "-f", "-", flag, stdin=manifest)
    ours = served.mkctl("-n", namespaces[1], "create", "-f", "-", flag, stdin=manifest)
    for result in (theirs, ours):
        assert result.code == 0, result.err
        assert result.out == f"configmap/{name} created\n"
        assert ('Warning: unknown field "extra"\n' in result.err) is warned, result.err
    stored = served.mkctl("get", "configmap", name, "-n", namespaces[1], "-o", "yaml")
    assert "extra" not in stored.out


def test_validate_refuses_other_values_in_kubectls_words(served: Served) -> None:
    expected = (
        'error: invalid - validate option "maybe"; must be one of: strict (or true), warn, '
        "ignore (or false)\n"
    )
    for argv in (
        ("apply", "-f", "-", "--validate=maybe"),
        ("create", "configmap", "x", "--validate=maybe"),
    ):
        theirs = kubectl(served.home, *argv, stdin=CONFIG_MAP.format(mode="x"))
        ours = served.mkctl(*argv, stdin=CONFIG_MAP.format(mode="x"))
        assert (theirs.code, theirs.err) == (1, expected), argv
        assert (ours.code, ours.err) == (1, expected), argv


REQUEST = re.compile(r'"Response" verb="([A-Z]+)" url="https?://[^/]+([^"?]*/namespaces/[^"]*)"')


def requests(result: Result, namespace: str) -> list[str]:
    """Every request to the namespace's objects a `-v=6` run logged, reads included."""
    return [
        f"{verb} {path.replace(f'/namespaces/{namespace}/', '/namespaces/NS/')}"
        for verb, path in REQUEST.findall(result.err)
    ]


def test_scale_preconditions_read_the_scale_and_put_it_back_as_kubectl_does(
    served: Served, namespaces: tuple[str, str]
) -> None:
    """`--current-replicas`/`--resource-version`: GET the object, GET its Scale, PUT the Scale
    when the preconditions hold; kubectl's error, and no PUT, when one does not."""
    read = ["GET /apis/apps/v1/namespaces/NS/deployments/held"]
    read.append(read[0] + "/scale")
    put = ["PUT /apis/apps/v1/namespaces/NS/deployments/held/scale"]
    tools = {
        namespaces[0]: kubectl_in(served),
        namespaces[1]: served.mkctl,
    }
    for namespace in namespaces:
        created = served.mkctl("-n", namespace, "create", "deployment", "held", "--image=x")
        assert created.code == 0, created.err
    for argv, expected in (
        (("--current-replicas=1", "--replicas=2"), ""),
        (("--current-replicas=1", "--replicas=3"), "error: Expected replicas to be 1, was 2"),
        (
            ("--resource-version=1", "--replicas=3"),
            "error: Expected resource version to be 1, was {}",
        ),
    ):
        sent = []
        for namespace, tool in tools.items():
            version = served.mkctl(
                "-n",
                namespace,
                "get",
                "deploy",
                "held",
                "-o",
                "jsonpath={.metadata.resourceVersion}",
            ).out
            result = tool("-n", namespace, "-v=6", "scale", "deploy", "held", *argv)
            if expected:
                failures = [line for line in result.err.splitlines() if line.startswith("error:")]
                assert (result.code, failures) == (1, [expected.format(version)]), result.err
            else:
                assert (result.code, result.out) == (0, "deployment.apps/held scaled\n"), result.err
            sent.append(requests(result, namespace))
        assert sent[1] == sent[0] == (read if expected else read + put), argv


def test_replace_reads_the_live_version_first_as_kubectl_does(
    served: Served, namespaces: tuple[str, str]
) -> None:
    """kubectl's resource helper reads an object the file gives no resourceVersion before
    its PUT (and still PUTs when that read finds nothing); a file with one is PUT at once."""
    config_map = "/api/v1/namespaces/NS/configmaps/"
    put = "?fieldManager=kubectl-replace&fieldValidation=Strict"
    stale = CONFIG_MAP.format(mode="x").replace(
        "  name: settings", '  name: kept\n  resourceVersion: "1"'
    )
    for namespace in namespaces:
        created = served.mkctl("-n", namespace, "create", "configmap", "kept")
        assert created.code == 0, created.err
    for manifest, expected, message in (
        (
            CONFIG_MAP.format(mode="x").replace("settings", "kept"),
            [f"GET {config_map}kept", f"PUT {config_map}kept{put}"],
            "",
        ),
        (
            CONFIG_MAP.format(mode="x").replace("settings", "absent"),
            [f"GET {config_map}absent", f"PUT {config_map}absent{put}"],
            'Error from server (NotFound): error when replacing "STDIN": configmaps "absent" '
            "not found",
        ),
        (
            stale,
            [f"PUT {config_map}kept{put}"],
            'Error from server (Conflict): error when replacing "STDIN": Operation cannot be '
            'fulfilled on configmaps "kept": the object has been modified; please apply your '
            "changes to the latest version and try again",
        ),
    ):
        sent = []
        for namespace, tool in zip(namespaces, (kubectl_in(served), served.mkctl), strict=True):
            result = tool("-n", namespace, "-v=6", "replace", "-f", "-", stdin=manifest)
            failures = [line for line in result.err.splitlines() if line.startswith("Error")]
            assert (result.code, failures) == (1 if message else 0, [message] if message else [])
            sent.append(requests(result, namespace))
        assert sent[1] == sent[0] == expected


def kubectl_in(served: Served) -> Callable[..., Result]:
    return lambda *argv, stdin=None: kubectl(served.home, *argv, stdin=stdin)


def list_of(items: str) -> str:
    """A `kind: List` manifest of the YAML sequence `items`."""
    return f"apiVersion: v1\nkind: List\nitems:\n{items}"


LIST = list_of("""\
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: good-item
  data:
    a: b
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: bad-item
  bogus: 1
""")


# Wrong types, unknown and missing fields, a null map value, a kind without a definition
BAD_TYPES = list_of("""\
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: c1
    labels: [1]
    annotations: 5
  immutable: 1
  data:
    a: null
  binaryData: {x: [1]}
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: d1
  spec:
    replicas: "x"
    template:
      spec:
        containers:
        - name: c
          ports: [{containerPort: 80, extra: 1}]
- apiVersion: v1
  kind: Service
  metadata: {name: s}
  spec:
    ports: [{port: 80, targetPort: {a: 1}}]
- 5
- apiVersion: example.com/v1
  kind: Widget
  whatever: 1
""")


@pytest.mark.parametrize("verb", ["apply", "create", "replace"])
def test_kubectl_validates_a_list_against_the_served_v2_definitions(
    served: Served, namespaces: tuple[str, str], verb: str
) -> None:
    """kubectl checks a `kind: List`'s items on the client, against `/openapi/v2` in gnostic
    protobuf (staging/src/k8s.io/kubectl/pkg/validation): the unknown field is its only
    error, as from a real cluster, and nothing is written; mkctl says the same."""
    expected = (
        'error: error validating "STDIN": error validating data: ValidationError(ConfigMap): '
        'unknown field "bogus" in io.k8s.api.core.v1.ConfigMap; if you choose to ignore these '
        "errors, turn validation off with --validate=false\n"
    )
    for namespace, tool in zip(namespaces, (kubectl_in(served), served.mkctl), strict=True):
        result = tool("-n", namespace, verb, "-f", "-", stdin=LIST)
        assert (result.code, result.out, result.err) == (1, "", expected)
        listed = served.mkctl("-n", namespace, "get", "configmap", "good-item")
        assert listed.code == 1, listed.out


def test_a_lists_items_are_checked_as_kubectl_checks_them(served: Served) -> None:
    """kube-openapi's validator, in mkctl: every error of every item, in kubectl's order."""
    theirs = kubectl(served.home, "apply", "-f", "-", stdin=BAD_TYPES)
    ours = served.mkctl("apply", "-f", "-", stdin=BAD_TYPES)
    assert theirs.code == 1 and theirs.err.count("ValidationError(") == 8, theirs.err
    assert (ours.code, ours.out, ours.err) == (theirs.code, theirs.out, theirs.err)
