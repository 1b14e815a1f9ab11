"""A StatefulSet's volumeClaimTemplates, sync by sync (stateful_pod_control.go
createPersistentVolumeClaims, stateful_set_utils.go getPersistentVolumeClaimName and the
retention policy's owner references)."""

from __future__ import annotations

from typing import Any

from sets_fixtures import Lab, creates, messages, statefulset

from controlplane.runtime.actions import Create


def www(**spec: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": "www"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            **spec,
        },
    }


def with_claims(replicas: int = 2, **policy: str) -> dict[str, Any]:
    sts = statefulset(replicas=replicas, volumeClaimTemplates=[www()])
    if policy:
        sts["spec"]["persistentVolumeClaimRetentionPolicy"] = policy
    return sts


def claims(lab: Lab) -> dict[str, dict[str, Any]]:
    return {c["metadata"]["name"]: c for c in lab.api.list("PersistentVolumeClaim", "default")}


def owners(lab: Lab) -> dict[str, list[tuple[str, str]]]:
    return {
        name: [(r["kind"], r["name"]) for r in c["metadata"].get("ownerReferences") or []]
        for name, c in claims(lab).items()
    }


def scale(lab: Lab, replicas: int) -> None:
    def change(sts: dict[str, Any]) -> None:
        sts["spec"]["replicas"] = replicas

    lab.edit("StatefulSet", "web", change)


def test_each_pod_gets_its_claim_first_and_mounts_it() -> None:
    lab = Lab()
    lab.api.create(with_claims())
    first = lab.sync_sts()
    created = [a.obj["kind"] for a in first if isinstance(a, Create)]
    assert created == ["ControllerRevision", "PersistentVolumeClaim", "Pod"]
    assert messages(first)[:2] == [
        "create Claim www-web-0 Pod web-0 in StatefulSet web success",
        "create Pod web-0 in StatefulSet web successful",
    ]
    lab.settle(lab.sync_sts)
    assert sorted(claims(lab)) == ["www-web-0", "www-web-1"]
    claim = claims(lab)["www-web-0"]
    assert claim["metadata"]["labels"] == {"app": "web"}  # the selector's matchLabels
    assert "storageClassName" not in claim["spec"]  # this lab has no default class
    assert lab.pods()["web-1"]["spec"]["volumes"] == [
        {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-1"}}
    ]
    assert owners(lab) == {"www-web-0": [], "www-web-1": []}  # Retain: nobody owns them


def test_claims_survive_pod_deletion_and_scale_down_and_are_reused() -> None:
    lab = Lab()
    lab.api.create(with_claims(replicas=3))
    lab.settle(lab.sync_sts)
    uids = {n: c["metadata"]["uid"] for n, c in claims(lab).items()}
    lab.api.delete("Pod", "default", "web-0", grace_period_seconds=0)
    again = lab.sync_sts()
    assert creates(again) == ["web-0"]
    assert not any(isinstance(a, Create) and a.obj["kind"] != "Pod" for a in again)
    scale(lab, 1)
    lab.settle(lab.sync_sts)
    assert sorted(lab.pods()) == ["web-0"]
    assert {n: c["metadata"]["uid"] for n, c in claims(lab).items()} == uids
    scale(lab, 3)
    lab.settle(lab.sync_sts)
    assert lab.pods()["web-2"]["spec"]["volumes"][0]["persistentVolumeClaim"] == {
        "claimName": "www-web-2"
    }
    assert {n: c["metadata"]["uid"] for n, c in claims(lab).items()} == uids


def test_when_deleted_delete_makes_the_set_own_its_claims() -> None:
    lab = Lab()
    sts = lab.api.create(with_claims(whenDeleted="Delete", whenScaled="Retain"))
    lab.settle(lab.sync_sts)
    (ref,) = claims(lab)["www-web-0"]["metadata"]["ownerReferences"]
    assert ref == {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "name": "web",
        "uid": sts["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def test_when_scaled_delete_hands_a_scaled_away_claim_to_its_pod() -> None:
    lab = Lab()
    lab.api.create(with_claims(replicas=3, whenDeleted="Delete", whenScaled="Delete"))
    lab.settle(lab.sync_sts)
    doomed = lab.pods()["web-2"]["metadata"]["uid"]
    scale(lab, 2)
    lab.sync_sts()
    assert owners(lab) == {
        "www-web-0": [("StatefulSet", "web")],
        "www-web-1": [("StatefulSet", "web")],
        "www-web-2": [("Pod", "web-2")],  # the garbage collector takes it with its pod
    }
    assert claims(lab)["www-web-2"]["metadata"]["ownerReferences"][0]["uid"] == doomed


def test_a_stale_claim_holds_back_its_pod() -> None:
    """A scaled-away pod's claim still owned by that pod is about to be collected: the new
    pod of that ordinal waits for it (PodClaimIsStale)."""
    lab = Lab()
    lab.api.create(with_claims(replicas=1, whenDeleted="Retain", whenScaled="Delete"))
    lab.settle(lab.sync_sts)
    stale = dict(claims(lab)["www-web-0"])
    stale["metadata"] = {
        **stale["metadata"],
        "ownerReferences": [
            {"apiVersion": "v1", "kind": "Pod", "name": "web-0", "uid": "gone", "controller": True}
        ],
    }
    lab.api.update(stale)
    lab.api.delete("Pod", "default", "web-0", grace_period_seconds=0)
    assert creates(lab.sync_sts()) == []


def test_a_bad_claim_template_fails_the_pod_with_events() -> None:
    lab = Lab()
    bad = statefulset(replicas=1, volumeClaimTemplates=[{"metadata": {"name": "www"}, "spec": {}}])
    lab.api.create(bad)  # the set's own validation does not look into its templates
    actions = lab.sync_sts()
    assert creates(actions) == []
    invalid = (
        'PersistentVolumeClaim "www-web-0" is invalid: [spec.accessModes: Required value: at '
        "least 1 access mode is required, spec.resources[storage]: Required value]"
    )
    assert messages(actions) == [
        f"create Claim www-web-0 for Pod web-0 in StatefulSet web failed error: {invalid}",
        "create Pod web-0 in StatefulSet web failed error: failed to create PVC www-web-0: "
        + invalid,
    ]
