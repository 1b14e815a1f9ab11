"""Namespaces and the mkctl config, with the real mkctl: create, use, delete with contents."""

from __future__ import annotations

from tests.e2e.conftest import Mkctl


def test_a_namespace_is_used_through_the_config_and_deleted_with_its_contents(
    mkctl: Mkctl,
) -> None:
    assert mkctl("create", "namespace", "shop").out == "namespace/shop created\n"
    exists = mkctl("create", "ns", "shop")
    assert (exists.code, exists.err) == (
        1,
        'Error from server (AlreadyExists): namespaces "shop" already exists\n',
    )
    applied = mkctl("apply", "-f", "samples/02-deployment.yaml", "-n", "shop")
    assert applied.out == "deployment.apps/nginx-deployment created\n"

    switched = mkctl("config", "set-context", "--current", "--namespace=shop")
    assert switched.out == 'Context "mkctl" modified.\n'
    assert "    namespace: shop\n" in mkctl("config", "view").out
    assert mkctl("config", "view", "--minify", "-o", "json").code == 0
    pods = mkctl("get", "pods", "-o", "name").out.splitlines()
    assert len(pods) == 3 and all(p.startswith("pod/nginx-deployment-") for p in pods)
    elsewhere = mkctl("get", "pods", "-n", "default")
    assert elsewhere.err == "No resources found in default namespace.\n"

    listed = mkctl("get", "ns").out.splitlines()
    assert listed[0].split() == ["NAME", "STATUS", "AGE"]
    assert [line.split()[:2] for line in listed[1:]][-1] == ["shop", "Active"]

    refused = mkctl("delete", "namespace", "default")
    assert (refused.code, refused.err) == (
        1,
        'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may '
        "not be deleted\n",
    )
    assert mkctl("delete", "ns", "shop").out == 'namespace "shop" deleted\n'
    gone = mkctl("get", "ns", "shop")
    assert gone.err == 'Error from server (NotFound): namespaces "shop" not found\n'
    # Only kube-system's CoreDNS pods are left anywhere.
    left = mkctl("get", "pods", "-A", "-o", "jsonpath={.items[*].metadata.namespace}").out
    assert left.split() == ["kube-system", "kube-system"]

    # The config still names shop: commands now fail the way kubectl's would.
    missing = mkctl("apply", "-f", "samples/01-pod.yaml")
    assert missing.err == (
        'Error from server (NotFound): error when creating "samples/01-pod.yaml": namespaces '
        '"shop" not found\n'
    )
    assert mkctl("config", "set-context", "--current", "--namespace=").code == 0
    assert mkctl("apply", "-f", "samples/01-pod.yaml").out == "pod/hello created\n"


def test_config_errors_are_kubectls(mkctl: Mkctl) -> None:
    both = mkctl("config", "set-context", "mkctl", "--current")
    assert both.err == "error: you cannot specify both a context name and --current\n"
    neither = mkctl("config", "set-context")
    assert neither.err == "error: you must specify a non-empty context name or --current\n"
    unknown = mkctl("config", "use-context", "prod")
    assert (unknown.code, unknown.err) == (1, 'error: no context exists with the name: "prod"\n')
    assert mkctl("config", "set-context", "staging", "--namespace=kube-system").out == (
        'Context "staging" created.\n'
    )
    assert mkctl("config", "use-context", "staging").out == 'Switched to context "staging".\n'
    assert mkctl("config", "current-context").out == "staging\n"
    assert mkctl("config", "get-contexts").out.splitlines() == [
        "CURRENT   NAME      CLUSTER   AUTHINFO   NAMESPACE",
        "          mkctl     mkctl     mkctl      ",
        "*         staging                        kube-system",
    ]
    nameless = mkctl("create", "namespace")
    assert nameless.err == (
        "error: exactly one NAME is required, got 0\n"
        "See 'kubectl create namespace -h' for help and examples\n"
    )
