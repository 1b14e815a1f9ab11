"""`rollout status` for StatefulSets and DaemonSets: every message of kubectl's status viewers
(polymorphichelpers/rollout_status.go)."""

from __future__ import annotations

from typing import Any

import pytest

from minikubectl.kubectl.rollout import RolloutError, daemonset, statefulset


def sts(status: dict[str, Any], strategy: dict[str, Any] | None = None, gen: int = 1) -> dict:
    return {
        "metadata": {"name": "web", "generation": gen},
        "spec": {
            "replicas": 3,
            "updateStrategy": strategy
            or {"type": "RollingUpdate", "rollingUpdate": {"partition": 1}},
        },
        "status": status,
    }


@pytest.mark.parametrize(
    ("obj", "message", "done"),
    [
        (sts({}), "Waiting for statefulset spec update to be observed...\n", False),
        (
            sts({"observedGeneration": 1}, gen=2),
            "Waiting for statefulset spec update to be observed...\n",
            False,
        ),
        (
            sts({"observedGeneration": 1, "readyReplicas": 1}),
            "Waiting for 2 pods to be ready...\n",
            False,
        ),
        (
            sts({"observedGeneration": 1, "readyReplicas": 3, "updatedReplicas": 1}),
            "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been "
            "updated...\n",
            False,
        ),
        (
            sts({"observedGeneration": 1, "readyReplicas": 3, "updatedReplicas": 2}),
            "partitioned roll out complete: 2 new pods have been updated...\n",
            True,
        ),
        (
            sts(
                {
                    "observedGeneration": 1,
                    "readyReplicas": 3,
                    "updatedReplicas": 1,
                    "currentRevision": "web-1",
                    "updateRevision": "web-2",
                },
                {"type": "RollingUpdate"},
            ),
            "waiting for statefulset rolling update to complete 1 pods at revision web-2...\n",
            False,
        ),
        (
            sts(
                {
                    "observedGeneration": 1,
                    "readyReplicas": 3,
                    "currentReplicas": 3,
                    "currentRevision": "web-2",
                    "updateRevision": "web-2",
                },
                {"type": "RollingUpdate"},
            ),
            "statefulset rolling update complete 3 pods at revision web-2...\n",
            True,
        ),
    ],
)
def test_statefulset_status(obj: dict, message: str, done: bool) -> None:
    assert statefulset.status(obj) == (message, done)


def ds(status: dict[str, Any], gen: int = 1, strategy: str = "RollingUpdate") -> dict:
    return {
        "metadata": {"name": "fluentd", "generation": gen},
        "spec": {"updateStrategy": {"type": strategy}},
        "status": {"observedGeneration": 1, **status},
    }


@pytest.mark.parametrize(
    ("obj", "message", "done"),
    [
        (ds({}, gen=2), "Waiting for daemon set spec update to be observed...\n", False),
        (
            ds({"desiredNumberScheduled": 3, "updatedNumberScheduled": 1}),
            'Waiting for daemon set "fluentd" rollout to finish: 1 out of 3 new pods have been '
            "updated...\n",
            False,
        ),
        (
            ds({"desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 2}),
            'Waiting for daemon set "fluentd" rollout to finish: 2 of 3 updated pods are '
            "available...\n",
            False,
        ),
        (
            ds({"desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 3}),
            'daemon set "fluentd" successfully rolled out\n',
            True,
        ),
    ],
)
def test_daemonset_status(obj: dict, message: str, done: bool) -> None:
    assert daemonset.status(obj) == (message, done)


def test_on_delete_has_no_rollout_status() -> None:
    message = "rollout status is only available for RollingUpdate strategy type"
    with pytest.raises(RolloutError, match=message):
        statefulset.status(sts({}, {"type": "OnDelete"}))
    with pytest.raises(RolloutError, match=message):
        daemonset.status(ds({}, strategy="OnDelete"))
