"""Events: identical repeats are merged into one Event (count, lastTimestamp), as client-go does."""

from __future__ import annotations

import pytest

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.models.constants import EventType, Obj


def make_pod(api: Api, name: str = "web") -> Obj:
    return api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]},
        }
    )


def back_off(api: Api, pod: Obj, message: str = "Back-off restarting failed container") -> Obj:
    return api.record_event(
        pod,
        EventType.WARNING,
        "BackOff",
        message,
        "kubelet",
        host="node-1",
        field_path="spec.containers{nginx}",
    )


def test_a_repeated_event_bumps_count_and_last_timestamp(api: Api, clock: FakeClock) -> None:
    pod = make_pod(api)
    first = back_off(api, pod)
    clock.advance(40)
    again = back_off(api, pod)
    clock.advance(80)
    third = back_off(api, pod)
    assert third["metadata"]["name"] == again["metadata"]["name"] == first["metadata"]["name"]
    (stored,) = api.list("Event", "default")
    assert stored["count"] == 3
    assert stored["firstTimestamp"] == "2023-11-14T22:13:20Z"
    assert stored["lastTimestamp"] == "2023-11-14T22:15:20Z"
    assert stored["metadata"]["resourceVersion"] == third["metadata"]["resourceVersion"]


def test_events_differing_in_message_source_or_field_are_kept_apart(api: Api) -> None:
    pod = make_pod(api)
    back_off(api, pod)
    back_off(api, pod, "another message")
    api.record_event(
        pod,
        EventType.WARNING,
        "BackOff",
        "Back-off restarting failed container",
        "kubelet",
        host="node-2",
        field_path="spec.containers{nginx}",
    )
    api.record_event(
        pod,
        EventType.WARNING,
        "BackOff",
        "Back-off restarting failed container",
        "kubelet",
        host="node-1",
    )
    assert [e["count"] for e in api.list("Event", "default")] == [1, 1, 1, 1]


def test_a_new_pod_with_the_same_name_gets_its_own_events(api: Api) -> None:
    old = make_pod(api)
    back_off(api, old)
    api.delete("Pod", "default", "web")
    new = make_pod(api)
    back_off(api, new)
    events = api.list("Event", "default")
    assert sorted(e["involvedObject"]["uid"] for e in events) == sorted(
        [old["metadata"]["uid"], new["metadata"]["uid"]]
    )
    assert [e["count"] for e in api.events_about(new)] == [1]


def test_another_process_merges_into_the_stored_event(api: Api, clock: FakeClock) -> None:
    pod = make_pod(api)
    back_off(api, pod)
    later = Api(api.store, clock, SeededIds(99))  # the next mkctl command
    clock.advance(10)
    back_off(later, pod)
    (stored,) = api.list("Event", "default")
    assert stored["count"] == 2


def test_a_deleted_event_is_recorded_anew(api: Api) -> None:
    pod = make_pod(api)
    first = back_off(api, pod)
    api.delete("Event", "default", first["metadata"]["name"])
    again = back_off(api, pod)
    assert again["metadata"]["name"] != first["metadata"]["name"]
    assert again["count"] == 1


def test_events_about_an_object_are_only_its_own(api: Api) -> None:
    web = make_pod(api, "web")
    web1 = make_pod(api, "web.1")
    back_off(api, web)
    back_off(api, web1)
    assert [e["involvedObject"]["name"] for e in api.events_about(web)] == ["web"]
    assert [e["involvedObject"]["name"] for e in api.events_about(web1)] == ["web.1"]


def test_an_event_of_a_rolled_back_batch_is_not_merged_into(api: Api) -> None:
    pod = make_pod(api)
    with pytest.raises(RuntimeError), api.batch():
        back_off(api, pod)
        raise RuntimeError("the pass failed")
    again = back_off(api, pod)
    assert again["count"] == 1
    assert len(api.list("Event", "default")) == 1
