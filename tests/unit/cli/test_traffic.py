"""mkctl traffic's routing and tally (minikubectl/traffic.py): ready endpoints in turn, a
refused connection without one, the image of the pod that answered."""

from __future__ import annotations

from controlplane.models.constants import Obj
from minikubectl.traffic import (
    Endpoint,
    RoundRobin,
    Tally,
    answer,
    ready_endpoints,
    request_line,
)

SERVICE: Obj = {
    "metadata": {"name": "web"},
    "spec": {"clusterIP": "10.96.7.8", "ports": [{"port": 80, "protocol": "TCP"}]},
}


def endpoint(ip: str, pod: str, ready: bool = True) -> Obj:
    return {
        "addresses": [ip],
        "conditions": {"ready": ready, "serving": ready, "terminating": False},
        "targetRef": {"kind": "Pod", "name": pod},
    }


def pod(image: str) -> Obj:
    return {"spec": {"containers": [{"name": "nginx", "image": image}]}}


SLICE: Obj = {
    "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
    "endpoints": [
        endpoint("10.244.0.9", "b"),
        endpoint("10.244.0.10", "c", ready=False),
        endpoint("10.244.0.3", "a"),
    ],
}


def test_only_ready_endpoints_serve_in_address_order() -> None:
    assert ready_endpoints(SERVICE, [SLICE]) == [
        Endpoint("10.244.0.3", 8080, "a"),
        Endpoint("10.244.0.9", 8080, "b"),
    ]


def test_requests_take_the_ready_endpoints_in_turn() -> None:
    balancer = RoundRobin()
    ready = ready_endpoints(SERVICE, [SLICE])
    assert [balancer.pick(ready).pod for _ in range(3)] == ["a", "b", "a"]  # type: ignore[union-attr]
    assert balancer.pick([]) is None


def test_no_ready_endpoint_refuses_the_connection_and_the_tally_counts_it() -> None:
    tally = Tally()
    served = answer(1, SERVICE, Endpoint("10.244.0.3", 8080, "a"), pod("nginx:1.25"))
    tally.add(served)
    failed = answer(2, SERVICE, None, None)
    tally.add(failed)
    assert served.image == "nginx:1.25" and served.endpoint == "10.244.0.3:8080"
    assert failed.failure == "dial tcp 10.96.7.8:80: connect: connection refused"
    assert tally.line() == "nginx:1.25=1 failed=1"
    assert request_line(failed, tally) == (
        "#2     ERR  dial tcp 10.96.7.8:80: connect: connection refused  | nginx:1.25=1 failed=1"
    )
    assert tally.summary() == [("nginx:1.25", 1), ("failed", 1)]


def test_a_pod_gone_since_the_slice_was_read_refuses_too() -> None:
    assert answer(3, SERVICE, Endpoint("10.244.0.3", 8080, "a"), None).failure
