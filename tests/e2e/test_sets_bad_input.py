"""Bad input around StatefulSets, DaemonSets, labels and nodes: kubectl's message on stderr,
exit 1, no traceback, and the store untouched. One cluster for all the cases, to keep the
subprocess count down; each case checks the store rows before and after."""

from __future__ import annotations

from pathlib import Path

from minikubectl.commands.rollout import ROLLBACK_WARNING
from tests.e2e.conftest import REPO, Mkctl
from tests.e2e.test_bad_input import failed, store_rows, write

STS = (REPO / "samples/06-statefulset.yaml").read_text()
NEW_STS = STS.replace("metadata:\n  name: web\n", "metadata:\n  name: db\n")  # a create
DS = (REPO / "samples/07-daemonset.yaml").read_text()
MISMATCH = "`selector` does not match template `labels`"
FORBIDDEN = (
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
    "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
    "'minReadySeconds' are forbidden"
)

CASES: list[tuple[str | None, list[str], str]] = [
    (
        NEW_STS.replace("matchLabels:\n      app: nginx-sts", "matchLabels:\n      app: other"),
        ["apply", "-f", "{file}"],
        'The StatefulSet "db" is invalid: spec.template.metadata.labels: Invalid value: '
        f'{{{{"app":"nginx-sts"}}}}: {MISMATCH}',
    ),
    (
        NEW_STS.replace("serviceName: nginx", "serviceName: nginx\n  podManagementPolicy: Random"),
        ["apply", "-f", "{file}"],
        'The StatefulSet "db" is invalid: spec.podManagementPolicy: Invalid value: "Random": '
        "must be 'OrderedReady' or 'Parallel'",
    ),
    (
        STS.replace("partition: 2", "partition: -1"),
        ["apply", "-f", "{file}"],
        'The StatefulSet "web" is invalid: spec.updateStrategy.rollingUpdate.partition: Invalid '
        "value: -1: must be greater than or equal to 0",
    ),
    (
        STS.replace("serviceName: nginx", "serviceName: other"),
        ["apply", "-f", "{file}"],
        f'The StatefulSet "web" is invalid: {FORBIDDEN}',
    ),
    (
        DS.replace(
            "  template:\n",
            "  updateStrategy:\n    rollingUpdate:\n"
            "      maxUnavailable: 0\n      maxSurge: 0\n  template:\n",
        ),
        ["apply", "-f", "{file}"],
        'The DaemonSet "fluentd" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: '
        "Required value: cannot be 0 when maxSurge is 0",
    ),
    (
        DS.replace("app: fluentd", "app: logs"),
        ["apply", "-f", "{file}"],
        'The DaemonSet "fluentd" is invalid: spec.selector: Invalid value: '
        '{{"matchLabels":{{"app":"logs"}}}}: field is immutable',
    ),
    (
        None,
        ["rollout", "undo", "ds/fluentd"],
        ROLLBACK_WARNING.format(resource="daemonsets", name="fluentd")
        + "\nerror: no last revision to roll back to",
    ),
    (
        None,
        ["rollout", "undo", "sts/web", "--to-revision=5"],
        ROLLBACK_WARNING.format(resource="statefulsets", name="web")
        + "\nerror: unable to find specified revision 5 in history",
    ),
    (
        None,
        ["rollout", "undo", "pod/web-0"],
        'error: no rollbacker has been implemented for "Pod"',
    ),
    (
        None,
        ["rollout", "pause", "ds/fluentd"],
        'error: daemonsets.apps "fluentd" pausing is not supported',
    ),
    (
        None,
        ["rollout", "undo", "sts/nope"],
        'Error from server (NotFound): statefulsets.apps "nope" not found',
    ),
    (
        None,
        ["label", "node", "node-1", "logging=off"],
        "error: 'logging' already has a value (on), and --overwrite is false",
    ),
    (None, ["label", "node", "node-1"], "error: at least one label update is required"),
    (
        None,
        ["label", "node", "node-1", "a=b=c"],
        "error: invalid label spec: a=b=c",
    ),
    (
        None,
        ["node", "add", "node-1"],
        'Error from server (AlreadyExists): nodes "node-1" already exists',
    ),
    (None, ["node", "remove", "node-9"], 'Error from server (NotFound): nodes "node-9" not found'),
]


def test_bad_input_around_sets_fails_cleanly_and_writes_nothing(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    assert mkctl("apply", "-f", "samples/06-statefulset.yaml").code == 0
    assert mkctl("apply", "-f", "samples/07-daemonset.yaml").code == 0
    assert mkctl("label", "node", "node-1", "logging=on").code == 0
    home = tmp_path / "home"
    for text, args, message in CASES:
        file = write(tmp_path, "input.yaml", text) if text is not None else ""
        before = store_rows(home)
        failed(mkctl(*[a.format(file=file) for a in args]), message.format(file=file))
        assert store_rows(home) == before, args
