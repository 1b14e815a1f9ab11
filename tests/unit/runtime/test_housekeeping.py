"""The API server's periodic work: the change log compacted every five minutes to the
revision of the tick before (etcd3/compact.go), and Events deleted an hour after their last
write (--event-ttl), each deletion a DELETED change that watchers see."""

from __future__ import annotations

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.models.constants import ChangeType, EventType, Kind
from controlplane.runtime.housekeeping import (
    COMPACTION_INTERVAL_SECONDS,
    COMPACTION_INTERVAL_VARIABLE,
    EVENT_SWEEP,
    EVENT_SWEEP_SECONDS,
    EVENT_TTL_SECONDS,
    Housekeeping,
)


def config_map(api: Api, name: str) -> None:
    api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})


def test_the_log_keeps_one_interval_of_changes_and_older_watches_get_410(
    api: Api, clock: FakeClock
) -> None:
    housekeeping = Housekeeping(api)
    config_map(api, "before-first-tick")
    housekeeping.run_if_due()  # the first tick only marks the current revision
    marked = api.current_revision()
    assert api.changes_after(0)[0].revision == 1
    config_map(api, "after-first-tick")
    clock.advance(COMPACTION_INTERVAL_SECONDS - 1)
    housekeeping.run_if_due()
    assert api.changes_after(0)[0].revision == 1  # not due yet: nothing compacted
    clock.advance(1)
    housekeeping.run_if_due()
    with pytest.raises(ApiError) as gone:
        api.changes_after(marked - 2)
    assert gone.value.code == 410 and gone.value.reason == "Expired"
    assert gone.value.message == f"too old resource version: {marked - 2} ({marked - 1})"
    after = api.changes_after(marked - 1)  # the previous tick's revision onwards stays
    assert [c.obj["metadata"]["name"] for c in after] == ["before-first-tick", "after-first-tick"]


def test_a_new_process_runs_only_what_is_due_since_the_last_tick(
    api: Api, clock: FakeClock
) -> None:
    config_map(api, "a")
    Housekeeping(api).run_if_due()
    clock.advance(COMPACTION_INTERVAL_SECONDS / 2)
    Housekeeping(api).run_if_due()  # a command started halfway: compacts nothing
    assert api.changes_after(0)[0].revision == 1
    clock.advance(COMPACTION_INTERVAL_SECONDS / 2)
    Housekeeping(api).run_if_due()
    with pytest.raises(ApiError):
        api.changes_after(0)


def test_events_expire_an_hour_after_their_last_write_and_watchers_see_them_go(
    api: Api, clock: FakeClock
) -> None:
    config_map(api, "cm")
    involved = api.get(Kind.CONFIG_MAP, "default", "cm")
    old = api.record_event(involved, EventType.NORMAL, "Old", "said once", "test")
    repeated = api.record_event(involved, EventType.NORMAL, "Again", "said twice", "test")
    assert old is not None and repeated is not None
    housekeeping = Housekeeping(api)
    housekeeping.run_if_due()
    clock.advance(EVENT_TTL_SECONDS / 2)
    api.record_event(involved, EventType.NORMAL, "Again", "said twice", "test")  # count 2
    clock.advance(EVENT_TTL_SECONDS / 2)
    revision = api.current_revision()
    housekeeping.run_if_due()
    names = [e["metadata"]["name"] for e in api.list(Kind.EVENT, "default")]
    assert names == [repeated["metadata"]["name"]]  # its TTL started again at the repeat
    deleted = api.changes_after(revision)
    assert [(c.type, c.obj["metadata"]["name"]) for c in deleted] == [
        (ChangeType.DELETED.value, old["metadata"]["name"])
    ]
    clock.advance(EVENT_TTL_SECONDS / 2 - EVENT_SWEEP_SECONDS)
    housekeeping.run_if_due()
    assert len(api.list(Kind.EVENT, "default")) == 1  # swept a minute ago: not due yet
    clock.advance(EVENT_SWEEP_SECONDS)
    housekeeping.run_if_due()
    assert api.list(Kind.EVENT, "default") == []


def test_the_daemon_speed_shortens_the_events_hour_not_the_compaction_interval(
    api: Api, clock: FakeClock
) -> None:
    config_map(api, "cm")
    involved = api.get(Kind.CONFIG_MAP, "default", "cm")
    api.record_event(involved, EventType.NORMAL, "Said", "once", "test")
    housekeeping = Housekeeping(api, speed=100)
    housekeeping.run_if_due()
    clock.advance(EVENT_TTL_SECONDS / 100)
    housekeeping.run_if_due()
    assert api.list(Kind.EVENT, "default") == []
    assert api.changes_after(0)[0].revision == 1  # 36 s: no compaction yet


def test_no_sweep_is_due_before_the_oldest_event_can_have_expired(
    api: Api, clock: FakeClock
) -> None:
    config_map(api, "cm")
    involved = api.get(Kind.CONFIG_MAP, "default", "cm")
    api.record_event(involved, EventType.NORMAL, "Said", "once", "test")
    recorded = clock.now()
    clock.advance(600)
    Housekeeping(api).run_if_due()
    assert api.next_due(EVENT_SWEEP) == pytest.approx(recorded + EVENT_TTL_SECONDS)


def test_the_compaction_interval_is_kube_apiservers_flag(
    api: Api, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_map(api, "a")
    Housekeeping(api).run_if_due()  # marks; the next tick due in five minutes
    monkeypatch.setenv(COMPACTION_INTERVAL_VARIABLE, "1")
    shorter = Housekeeping(api)
    shorter.run_if_due()  # due within a second, not in the five minutes the last one set
    clock.advance(1)
    shorter.run_if_due()
    with pytest.raises(ApiError):
        api.changes_after(0)
