"""The kubectl toolbox on one lesson, with the real mkctl: a namespace of its own, JSONPath
and custom columns to read it, label selectors to pick pods, patches to change it, wait to let
it settle and tree to see who owns whom afterwards."""

from __future__ import annotations

from tests.e2e.conftest import Mkctl

DEPLOY = "deployment/nginx-deployment"
REVISIONS = (
    "{range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"
    '{" "}{.spec.replicas}{"\\n"}{end}'
)


def test_a_lesson_through_jsonpath_columns_selectors_patch_wait_and_tree(mkctl: Mkctl) -> None:
    assert mkctl("create", "namespace", "shop").out == "namespace/shop created\n"
    assert mkctl("config", "set-context", "--current", "--namespace=shop").code == 0
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    ready = mkctl("wait", "--for=jsonpath={.status.readyReplicas}=3", DEPLOY)
    assert ready.out == "deployment.apps/nginx-deployment condition met\n"

    names = mkctl(
        "get",
        "pods",
        "-l",
        "app in (nginx),pod-template-hash",
        "-o",
        'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}',
    ).out.splitlines()
    assert len(names) == 3 and all(n.startswith("nginx-deployment-") for n in names)
    columns = mkctl(
        "get",
        "deploy",
        "-o",
        "custom-columns=NAME:.metadata.name,IMAGE:.spec.template.spec.containers[0].image",
    )
    assert columns.out == "NAME               IMAGE\nnginx-deployment   nginx:1.14.2\n"

    scaled = mkctl("patch", "deployment", "nginx-deployment", "-p", '{"spec":{"replicas":5}}')
    assert scaled.out == "deployment.apps/nginx-deployment patched\n"
    assert mkctl("wait", "--for=jsonpath={.status.availableReplicas}=5", DEPLOY).code == 0
    image = (
        '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.16.1"}]'
    )
    patched = mkctl("patch", "deployment", "nginx-deployment", "--type=json", "-p", image)
    assert patched.out == "deployment.apps/nginx-deployment patched\n"
    assert mkctl("wait", "--for=condition=Available", DEPLOY).code == 0

    assert mkctl("get", "rs", "-o", f"jsonpath={REVISIONS}").out == "1 0\n2 5\n"
    tree = mkctl("tree", DEPLOY).out.splitlines()
    assert [line.split()[0].split("/")[0] for line in tree[1:]] == [
        "Deployment",
        "├─ReplicaSet",
        "└─ReplicaSet",
        *["├─Pod"] * 4,
        "└─Pod",
    ]
    assert tree[3].split()[-2:] == ["2", "nginx:1.16.1"]
    selected = mkctl("get", "pods", "-l", "!missing,app!=web", "-o", "name").out.splitlines()
    assert len(selected) == 5
