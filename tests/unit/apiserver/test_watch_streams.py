"""Watch semantics without sockets: where a watch starts, what selectors make of each change,
bookmarks, timeouts and 410 after compaction, as a real API server streams them."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.registry import kind_info
from controlplane.api.verbs import Api
from controlplane.apiserver import watch
from controlplane.apiserver.exchange import Request
from controlplane.apiserver.router import route
from controlplane.apiserver.watch import Event, WatchOptions


def pod(name: str, app: str = "web") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": app}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }


def relabel(api: Api, name: str, app: str) -> None:
    live = api.get("Pod", "default", name)
    live["metadata"]["labels"] = {"app": app}
    api.update(live)


class Script:
    """A fake clock for one watch: each sleep runs the next scripted write and moves time on,
    so a test drives the stream without waiting."""

    def __init__(self, steps: list[Callable[[], object]], step_seconds: float = 0.05) -> None:
        self.steps = list(steps)
        self.now = 0.0
        self.step_seconds = step_seconds

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, self.step_seconds)
        if self.steps:
            self.steps.pop(0)()


def stream(
    api: Api, script: Script, namespace: str | None = "default", **options: object
) -> Iterator[Event | None]:
    opened = watch.open_watch(api, kind_info("Pod"), namespace, WatchOptions(**options))  # type: ignore[arg-type]
    return watch.events(
        opened,
        threading.Lock(),
        poll_seconds=script.step_seconds,
        monotonic=script.monotonic,
        sleep=script.sleep,
    )


def seen(events: Iterator[Event | None]) -> list[tuple[str, str]]:
    """(type, name or resourceVersion) of every event until the stream ends."""
    return [
        (e.type, e.obj["metadata"].get("name") or e.obj["metadata"]["resourceVersion"])
        for e in events
        if e is not None
    ]


@pytest.mark.parametrize("rv", ["", "0"])
def test_unset_and_zero_rv_start_with_every_current_object_then_the_changes(
    api: Api, rv: str
) -> None:
    api.create(pod("a"))
    api.create(pod("b"))
    script = Script([lambda: api.create(pod("c")), lambda: api.delete("Pod", "default", "a")])
    events = seen(stream(api, script, resource_version=rv, timeout_seconds=1))
    assert events == [("ADDED", "a"), ("ADDED", "b"), ("ADDED", "c"), ("DELETED", "a")]


def test_an_exact_rv_gets_only_the_changes_after_it_in_order(api: Api) -> None:
    first = api.create(pod("a"))["metadata"]["resourceVersion"]
    api.create(pod("b"))
    script = Script([lambda: relabel(api, "a", "db"), lambda: api.delete("Pod", "default", "b")])
    events = list(stream(api, script, resource_version=first, timeout_seconds=1))
    assert seen(iter(events)) == [("ADDED", "b"), ("MODIFIED", "a"), ("DELETED", "b")]
    revisions = [int(e.obj["metadata"]["resourceVersion"]) for e in events if e is not None]
    assert revisions == sorted(revisions) and len(set(revisions)) == 3


def test_a_compacted_rv_gets_one_410_error_event(api: Api) -> None:
    first = api.create(pod("a"))["metadata"]["resourceVersion"]
    api.create(pod("b"))
    newest = api.create(pod("c"))["metadata"]["resourceVersion"]
    api.compact(int(newest))
    events = [e for e in stream(api, Script([]), resource_version=first) if e is not None]
    assert len(events) == 1 and events[0].type == "ERROR"
    status = events[0].obj
    assert (status["kind"], status["code"], status["reason"]) == ("Status", 410, "Expired")
    assert status["message"] == f"too old resource version: {first} ({int(newest) - 1})"


def test_a_watch_overtaken_by_compaction_ends_with_a_410(api: Api) -> None:
    def overtake() -> None:
        api.create(pod("b"))
        newest = api.create(pod("c"))["metadata"]["resourceVersion"]
        api.compact(int(newest))

    rv = api.create(pod("a"))["metadata"]["resourceVersion"]
    opened = watch.open_watch(api, kind_info("Pod"), "default", WatchOptions(resource_version=rv))
    script = Script([])
    events = watch.events(
        opened,
        threading.Lock(),
        before_poll=overtake,
        poll_seconds=script.step_seconds,
        monotonic=script.monotonic,
        sleep=script.sleep,
    )
    found = [e for e in events if e is not None]
    assert [e.type for e in found] == ["ERROR"] and found[0].obj["code"] == 410


def test_send_initial_events_ends_them_with_the_annotated_bookmark(api: Api) -> None:
    api.create(pod("a"))
    revision = api.create(pod("b"))["metadata"]["resourceVersion"]
    script = Script([lambda: api.create(pod("c"))])
    events = [
        e
        for e in stream(
            api,
            script,
            send_initial_events=True,
            allow_bookmarks=True,
            field_selector="metadata.name!=a",
            timeout_seconds=1,
        )
        if e is not None
    ]
    assert [e.type for e in events[:2]] == ["ADDED", "BOOKMARK"]
    assert events[1].obj == {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {
            "resourceVersion": revision,
            "creationTimestamp": None,
            "annotations": {"k8s.io/initial-events-end": "true"},
        },
    }
    assert (events[2].type, events[2].obj["metadata"]["name"]) == ("ADDED", "c")


def test_send_initial_events_false_starts_at_the_most_recent_revision(api: Api) -> None:
    api.create(pod("a"))
    script = Script([lambda: api.create(pod("b"))])
    events = stream(api, script, send_initial_events=False, timeout_seconds=1)
    assert seen(events) == [("ADDED", "b")]


def test_objects_crossing_the_label_selector_arrive_as_added_and_deleted(api: Api) -> None:
    rv = api.create(pod("a", "web"))["metadata"]["resourceVersion"]
    api.create(pod("b", "db"))
    script = Script(
        [
            lambda: relabel(api, "b", "web"),  # starts matching
            lambda: relabel(api, "a", "db"),  # stops matching
            lambda: relabel(api, "a", "db"),  # still not matching: nothing
            lambda: api.delete("Pod", "default", "b"),
        ]
    )
    events = list(
        stream(api, script, resource_version=rv, label_selector="app=web", timeout_seconds=1)
    )
    assert seen(iter(events)) == [("ADDED", "b"), ("DELETED", "a"), ("DELETED", "b")]
    gone = [e for e in events if e is not None][1].obj
    # the last matching state, at the revision of the change that made it leave
    assert gone["metadata"]["labels"] == {"app": "web"}
    assert int(gone["metadata"]["resourceVersion"]) > int(rv) + 2


def test_a_single_object_watch_by_field_selector(api: Api) -> None:
    api.create(pod("a"))
    api.create(pod("b"))
    script = Script([lambda: relabel(api, "b", "x"), lambda: relabel(api, "a", "x")])
    events = stream(api, script, field_selector="metadata.name=a", timeout_seconds=1)
    assert seen(events) == [("ADDED", "a"), ("MODIFIED", "a")]


def test_namespaces_and_kinds_outside_the_watch_are_not_sent(api: Api) -> None:
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    script = Script(
        [lambda: api.create({**pod("x"), "metadata": {"name": "x", "namespace": "other"}})]
    )
    assert seen(stream(api, script, send_initial_events=False, timeout_seconds=1)) == []
    script = Script([lambda: api.create(pod("y"))])
    every = stream(api, script, namespace=None, send_initial_events=False, timeout_seconds=1)
    assert seen(every) == [("ADDED", "y")]


def test_bookmarks_every_minute_and_just_before_the_timeout(api: Api) -> None:
    script = Script([], step_seconds=10.0)
    events = [e for e in stream(api, script, allow_bookmarks=True, timeout_seconds=90) if e]
    assert [e.type for e in events] == ["BOOKMARK", "BOOKMARK"]
    assert script.now >= 90  # the stream ended at its timeout, not before
    script = Script([], step_seconds=10.0)
    assert [e for e in stream(api, script, timeout_seconds=90) if e] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"sendInitialEvents": ["true"]},
            "resourceVersionMatch: Forbidden: sendInitialEvents requires setting "
            "resourceVersionMatch to NotOlderThan",
        ),
        (
            {"resourceVersionMatch": ["NotOlderThan"]},
            "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch "
            "unless sendInitialEvents is provided",
        ),
    ],
)
def test_contradictory_options_are_422_before_the_stream(
    api: Api, query: dict, message: str
) -> None:
    request = Request("GET", "/api/v1/namespaces/default/pods", {"watch": ["1"], **query}, {})
    response = route(api, threading.Lock(), request)
    assert response.code == 422 and isinstance(response.body, bytes)
    status = json.loads(response.body)
    assert status["reason"] == "Invalid"
    assert status["message"] == f'ListOptions.meta.k8s.io "" is invalid: {message}'


def test_bad_selectors_and_versions_fail_before_the_stream(api: Api) -> None:
    for query, code in (
        ({"labelSelector": ["a b"]}, 400),
        ({"resourceVersion": ["abc"]}, 422),
        ({"timeoutSeconds": ["soon"]}, 400),
    ):
        request = Request("GET", "/api/v1/pods", {"watch": ["true"], **query}, {})
        assert route(api, threading.Lock(), request).code == code


def test_the_http_answer_is_a_stream_of_json_lines(api: Api) -> None:
    api.create(pod("a"))
    request = Request("GET", "/api/v1/namespaces/default/pods", {"watch": ["true"]}, {})
    response = route(api, threading.Lock(), request)
    assert response.code == 200 and response.content_type == "application/json"
    assert not isinstance(response.body, bytes)
    line = next(response.body)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    event = json.loads(line)
    assert (event["type"], event["object"]["kind"], event["object"]["metadata"]["name"]) == (
        "ADDED",
        "Pod",
        "a",
    )
    assert next(response.body) == b""  # idle: nothing yet, without waiting
    response.body.close()  # type: ignore[attr-defined]


def test_cluster_scoped_kinds_are_watched(api: Api) -> None:
    opened = watch.open_watch(api, kind_info("Namespace"), "", WatchOptions())
    assert [e.obj["metadata"]["name"] for e in opened.initial] == ["default"]


def test_bad_watch_flag_is_400(api: Api) -> None:
    with pytest.raises(ApiError) as caught:
        watch.is_watch({"watch": ["maybe"]})
    assert caught.value.code == 400


@pytest.mark.parametrize("send_initial_events", [None, True])
def test_a_revision_not_reached_yet_is_a_504_error_event(
    api: Api, send_initial_events: bool | None
) -> None:
    current = api.current_revision()
    events = stream(
        api,
        Script([]),
        resource_version=str(current + 5),
        send_initial_events=send_initial_events,
    )
    found = [e for e in events if e is not None]
    assert [e.type for e in found] == ["ERROR"]
    assert (found[0].obj["code"], found[0].obj["reason"]) == (504, "Timeout")
    assert found[0].obj["message"] == (
        f"Timeout: Too large resource version: {current + 5}, current: {current}"
    )


def test_a_table_watch_sends_one_row_tables_with_the_columns_only_first(api: Api) -> None:
    """kubectl's `get -w` asks for Tables: each event's object is a one-row Table, and only
    the first carries the column definitions (response.go asTable, NoHeaders after it)."""
    accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    request = Request("GET", "/api/v1/pods", {"watch": ["true"]}, {"accept": accept})
    convert = watch.wire_form(api, kind_info("Pod"), request)
    first, second = (convert(api.create(pod(name))) for name in ("a", "b"))
    assert first["kind"] == second["kind"] == "Table"
    assert [c["name"] for c in first["columnDefinitions"]][:3] == ["Name", "Ready", "Status"]
    assert second["columnDefinitions"] is None
    assert [row["cells"][0] for row in (*first["rows"], *second["rows"])] == ["a", "b"]
    plain = Request("GET", "/api/v1/pods", {"watch": ["true"]}, {"accept": "application/json"})
    assert (
        watch.wire_form(api, kind_info("Pod"), plain)(api.get("Pod", "default", "a"))["kind"]
        == "Pod"
    )
