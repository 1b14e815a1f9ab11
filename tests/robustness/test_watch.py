"""Watch guarantees: resuming from any revision gives every later change once and in order;
behind a compaction a watcher gets Kubernetes' 410 "too old resource version" and re-lists,
and so does the controller manager, which then converges as if it had seen everything.
Each on SQLite and on PostgreSQL (one schema for the module, emptied for each case).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.cluster import open_cluster
from controlplane.ids import SeededIds
from controlplane.models.meta import Change, key_of
from controlplane.store import Store
from tests import postgres
from tests.robustness.oracles import ownership_problems, settled_problems
from tests.robustness.soak import scaled

NAMES = ("a", "b", "c")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def empty_store(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """A function that empties a store and returns its URL."""
    if request.param == "sqlite":
        yield lambda: "sqlite://"
        return
    with postgres.schema_url() as url:
        store = Store(url)

        def emptied() -> str:
            store.reset()
            return url

        yield emptied
        store.dispose()


def namespace(name: str, label: str = "") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {"l": label}},
    }


def write(api: Api, op: str, name: str, label: str) -> None:
    """Create, update or delete a namespace, whichever applies; no-ops are fine."""
    try:
        if op == "delete":
            api.delete("Namespace", "", name)
        elif op == "create":
            api.create(namespace(name, label))
        else:
            live = api.get("Namespace", "", name)
            live["metadata"]["labels"] = {"l": label}
            api.update(live)
    except ApiError as exc:
        assert exc.reason in ("NotFound", "AlreadyExists")


def replay(state: dict, changes: list[Change]) -> None:
    for change in changes:
        if change.type == "DELETED":
            state.pop(key_of(change.obj), None)
        else:
            state[key_of(change.obj)] = change.obj


def listed(api: Api) -> dict:
    return {key_of(o): o for o in api.list("Namespace")}


ops = st.tuples(
    st.sampled_from(["create", "update", "delete"]),
    st.sampled_from(NAMES),
    st.sampled_from(["x", "y", "z"]),
)


@settings(max_examples=scaled(40, 500))
@given(st.lists(st.one_of(ops, st.integers(0, 60)), max_size=40))
def test_a_watcher_resuming_anywhere_sees_every_later_change_once_in_order(
    empty_store: Callable[[], str], steps: list
) -> None:
    """Writes interleaved with watchers that start (or resume) at earlier revisions."""
    api = Api(Store(empty_store()), FakeClock(), SeededIds(3))
    watchers: list[tuple[int, int, dict]] = []  # (started at, cursor, replayed state)
    states = {0: {}}  # the state as of each revision, to start watchers from
    for step in steps:
        if isinstance(step, tuple):
            write(api, *step)
            states[api.current_revision()] = listed(api)
            continue
        start = max(r for r in states if r <= min(step, api.current_revision()))
        watchers.append((start, start, dict(states[start])))
        for i, (origin, cursor, state) in enumerate(watchers):  # each polls now
            changes = api.changes_after(cursor)
            assert [c.revision for c in changes] == list(
                range(cursor + 1, cursor + 1 + len(changes))
            )
            replay(state, changes)
            watchers[i] = (origin, changes[-1].revision if changes else cursor, state)
    for origin, cursor, state in watchers:
        replay(state, api.changes_after(cursor))
        assert state == listed(api), f"a watcher from revision {origin} diverged"


def test_behind_a_compaction_a_watcher_gets_410_and_re_lists(
    empty_store: Callable[[], str],
) -> None:
    api = Api(Store(empty_store()), FakeClock(), SeededIds(3))
    for name in NAMES:
        api.create(namespace(name))
    behind = 1
    write(api, "update", "a", "y")
    write(api, "delete", "b", "")
    assert api.compact(keep_revision=4) == 3
    with pytest.raises(ApiError) as expired:
        api.changes_after(behind)
    assert (expired.value.reason, expired.value.code) == ("Expired", 410)
    assert expired.value.message == "too old resource version: 1 (3)"
    assert [c.revision for c in api.changes_after(3)] == [4, 5]  # from the edge: fine

    state, cursor = listed(api), api.current_revision()  # the re-list
    write(api, "create", "d", "z")  # not "b": a deleted namespace stays Terminating
    changes = api.changes_after(cursor)
    replay(state, changes)
    assert state == listed(api) and [c.type for c in changes] == ["ADDED"]
    assert api.compact(keep_revision=100) == 2  # the newest change always stays
    assert api.current_revision() == 6 and api.changes_after(6) == []


def test_the_manager_behind_a_compaction_re_lists_and_converges(
    empty_store: Callable[[], str],
) -> None:
    cluster = open_cluster(empty_store(), clock=FakeClock(), ids=SeededIds(9))
    api = cluster.api
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]},
            },
        },
    }
    api.create(deployment)
    cluster.settle()
    # Changes no controller has seen, then compacted away: a scale, a deleted pod, and a
    # ReplicaSet deleted outright, whose pods only a re-list's tombstone can clean up.
    api.patch("Deployment", "default", "web", {"spec": {"replicas": 4}}, "merge")
    api.delete(
        "Pod", "default", api.list("Pod", "default")[0]["metadata"]["name"], grace_period_seconds=0
    )
    (old,) = api.list("ReplicaSet", "default")
    api.delete("ReplicaSet", "default", old["metadata"]["name"])
    api.compact(keep_revision=api.current_revision())
    cluster.settle()
    (web,) = api.list("Deployment", "default")
    replica_sets, pods = api.list("ReplicaSet", "default"), api.list("Pod", "default")
    assert ownership_problems(pods, replica_sets) == []
    assert settled_problems(web, replica_sets, pods) == []
    assert len(pods) == 4 and old["metadata"]["uid"] not in {
        rs["metadata"]["uid"] for rs in replica_sets
    }
