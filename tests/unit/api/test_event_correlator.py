"""client-go's EventCorrelator defaults (tools/record/events_cache.go): similar events are
combined from the tenth distinct message on, and a source may write 25 events about one
object, then one every 5 minutes."""

from __future__ import annotations

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.models.constants import SCHEDULER, EventType, Obj


def make_rs(api: Api) -> Obj:
    return api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "web-5d4f8", "namespace": "default"},
            "spec": {
                "replicas": 40,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]},
                },
            },
        }
    )


def created_pod(api: Api, rs: Obj, n: int, source: str = "replicaset-controller") -> Obj | None:
    return api.record_event(
        rs, EventType.NORMAL, "SuccessfulCreate", f"Created pod: web-{n}", source
    )


def test_similar_events_are_combined_and_the_source_is_throttled(
    api: Api, clock: FakeClock
) -> None:
    rs = make_rs(api)
    written = [created_pod(api, rs, n) for n in range(1, 31)]
    assert [w is not None for w in written] == [True] * 25 + [False] * 5
    events = api.events_about(rs)
    assert [e["message"] for e in events[:9]] == [f"Created pod: web-{n}" for n in range(1, 10)]
    (combined,) = events[9:]
    assert combined["message"] == "(combined from similar events): Created pod: web-25"
    assert combined["count"] == 16  # the 10th event, then 15 repeats until the 25th
    assert combined["reportingComponent"] == ""
    clock.advance(300)  # one token back
    assert created_pod(api, rs, 31) is not None
    assert created_pod(api, rs, 32) is None
    (combined,) = api.events_about(rs)[9:]
    # Counted like client-go's event logger: the 5 dropped repeats, then this one.
    assert (combined["count"], combined["message"]) == (
        22,
        "(combined from similar events): Created pod: web-31",
    )


def test_after_ten_quiet_minutes_similar_events_stand_alone_again(
    api: Api, clock: FakeClock
) -> None:
    rs = make_rs(api)
    for n in range(1, 11):
        created_pod(api, rs, n)
    clock.advance(601 * 300)  # the window is over, and the bucket is full again
    again = created_pod(api, rs, 11)
    assert again is not None and again["message"] == "Created pod: web-11"


def test_the_schedulers_events_are_neither_combined_nor_throttled(api: Api) -> None:
    rs = make_rs(api)
    written = [created_pod(api, rs, n, source=SCHEDULER) for n in range(1, 31)]
    assert all(w is not None for w in written)
    assert not any(e["message"].startswith("(combined") for e in api.events_about(rs))
