"""Deployment status and conditions (sync.go calculateStatus, progress.go), deadline, requeue."""

from __future__ import annotations

from deployment_fixtures import NOW, Cluster, deployment, of_kind

from controlplane.clock import rfc3339
from controlplane.controllers.deployment.progress import calculate_status, deployment_complete
from controlplane.models.conditions import get_condition
from controlplane.models.meta import Key, name_of
from controlplane.runtime.actions import RequeueAfter, UpdateStatus


def test_status_and_conditions_of_a_complete_deployment() -> None:
    cluster = Cluster(deployment(replicas=3))
    cluster.run_until_settled()
    (rs,) = cluster.rss
    assert cluster.d["status"] == {
        "observedGeneration": 1,
        "replicas": 3,
        "updatedReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "conditions": [
            {
                "type": "Available",
                "status": "True",
                "lastUpdateTime": rfc3339(NOW),
                "lastTransitionTime": rfc3339(NOW),
                "reason": "MinimumReplicasAvailable",
                "message": "Deployment has minimum availability.",
            },
            {
                "type": "Progressing",
                "status": "True",
                "lastUpdateTime": rfc3339(NOW),
                "lastTransitionTime": rfc3339(NOW),
                "reason": "NewReplicaSetAvailable",
                "message": f'ReplicaSet "{rs}" has successfully progressed.',
            },
        ],
    }
    assert cluster.d["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    assert deployment_complete(cluster.d, cluster.d["status"])


def test_a_settled_deployment_reconciles_to_nothing() -> None:
    cluster = Cluster(deployment(replicas=3))
    cluster.run_until_settled()
    cluster.now += 3600  # long after the deadline: nothing to requeue once complete
    assert cluster.sync() == []
    assert cluster.sync() == []


def test_first_sync_writes_created_condition_and_unavailable() -> None:
    cluster = Cluster(deployment(replicas=2))
    (write,) = of_kind(cluster.sync(), UpdateStatus)
    (rs,) = cluster.rss
    status = write.obj["status"]
    assert status["observedGeneration"] == 1
    assert "replicas" not in status  # zero counts are omitted, as in Go
    assert status["unavailableReplicas"] == 2
    assert [(c["type"], c["status"], c["reason"]) for c in status["conditions"]] == [
        ("Progressing", "True", "NewReplicaSetCreated"),
        ("Available", "False", "MinimumReplicasUnavailable"),
    ]
    assert status["conditions"][0]["message"] == f'Created new replica set "{rs}"'
    assert status["conditions"][1]["message"] == "Deployment does not have minimum availability."


def test_stuck_rollout_requeues_for_the_deadline_then_times_out() -> None:
    cluster = Cluster(deployment(replicas=3, progress_deadline=600))
    cluster.run_until_settled()
    cluster.set_image("nginx:9.9-broken")
    cluster.sync()  # new RS created: Progressing NewReplicaSetCreated at NOW
    new = name_of(cluster.rs_by_image("nginx:9.9-broken"))
    cluster.settle(available=False)
    cluster.sync()  # a new pod exists: ReplicaSetUpdated, lastUpdateTime NOW
    progressing = get_condition(cluster.d["status"], "Progressing")
    assert progressing is not None
    assert progressing["reason"] == "ReplicaSetUpdated"
    assert progressing["message"] == f'ReplicaSet "{new}" is progressing.'

    cluster.now = NOW + 10
    assert cluster.sync() == [RequeueAfter(Key("Deployment", "default", "nginx"), 591.0)]

    cluster.now = NOW + 601
    (write,) = of_kind(cluster.sync(), UpdateStatus)
    progressing = get_condition(write.obj["status"], "Progressing")
    assert progressing is not None
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "False",
        "ProgressDeadlineExceeded",
        f'ReplicaSet "{new}" has timed out progressing.',
    )
    assert progressing["lastTransitionTime"] == rfc3339(NOW + 601)
    available = get_condition(write.obj["status"], "Available")
    assert available is not None and available["status"] == "True"  # 3 >= 3 - 0
    assert cluster.sync() == []  # timed out: no more requeues


def test_requeue_when_less_than_a_second_is_left_still_waits_a_second() -> None:
    cluster = Cluster(deployment(replicas=1, progress_deadline=10))
    cluster.sync()
    cluster.now = NOW + 9.5
    (requeue,) = of_kind(cluster.sync(), RequeueAfter)
    assert requeue.seconds == 1.0


def test_without_a_progress_deadline_there_is_no_progressing_condition() -> None:
    cluster = Cluster(deployment(replicas=2, progress_deadline=None))
    cluster.run_until_settled()
    assert [c["type"] for c in cluster.d["status"]["conditions"]] == ["Available"]


def test_progress_keeps_transition_time_and_refreshes_update_time() -> None:
    cluster = Cluster(deployment(replicas=3))
    cluster.run_until_settled()
    cluster.set_image("nginx:1.16.1")
    cluster.sync()
    cluster.settle(available=False)
    cluster.now = NOW + 30
    cluster.sync()
    progressing = get_condition(cluster.d["status"], "Progressing")
    assert progressing is not None
    assert progressing["lastTransitionTime"] == rfc3339(NOW)
    assert progressing["lastUpdateTime"] == rfc3339(NOW + 30)
    assert cluster.d["status"]["conditions"][-1] is progressing  # re-appended at the end


def test_replica_failure_is_copied_from_the_replica_set() -> None:
    cluster = Cluster(deployment(replicas=3))
    cluster.sync()
    (rs,) = cluster.rss.values()
    failure = {
        "type": "ReplicaFailure",
        "status": "True",
        "lastTransitionTime": rfc3339(NOW),
        "reason": "FailedCreate",
        "message": 'pods "x" is forbidden: exceeded quota',
    }
    rs["status"]["conditions"] = [failure]
    (write,) = of_kind(cluster.sync(), UpdateStatus)
    copied = get_condition(write.obj["status"], "ReplicaFailure")
    assert copied == {**failure, "lastUpdateTime": rfc3339(NOW)}
    rs["status"].pop("conditions")
    (write,) = of_kind(cluster.sync(), UpdateStatus)
    assert get_condition(write.obj["status"], "ReplicaFailure") is None


def test_unavailable_counts_against_spec_and_never_goes_negative() -> None:
    d = deployment(replicas=3)
    rs = {"spec": {"replicas": 2}, "status": {"replicas": 3, "availableReplicas": 3}}
    status = calculate_status([rs, None], None, d, NOW)
    assert "unavailableReplicas" not in status
    assert status["replicas"] == 3
    assert "updatedReplicas" not in status
