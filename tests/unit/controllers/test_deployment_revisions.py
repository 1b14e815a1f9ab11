"""Template hashes, revision numbers and condition lists (models.revisions, models.conditions)."""

from __future__ import annotations

import copy

import pytest
from deployment_fixtures import NOW, template

from controlplane.clock import rfc3339
from controlplane.models.conditions import (
    get_condition,
    new_condition,
    remove_condition,
    set_condition,
)
from controlplane.models.revisions import (
    compute_hash,
    fnv1a_32,
    last_revision,
    max_revision,
    revision_of,
    safe_encode_string,
    template_without_hash,
    templates_equal_ignoring_hash,
)

# --- pod-template-hash (controller_utils.go ComputeHash) ---


@pytest.mark.parametrize(
    ("text", "encoded"),
    [("1234567890", "56789bcdf4"), ("1335831723", "5779d75c67"), ("0", "4")],
)
def test_digits_map_onto_the_safe_alphabet(text: str, encoded: str) -> None:
    assert safe_encode_string(text) == encoded


def test_fnv1a_matches_the_published_value_for_hello() -> None:
    assert fnv1a_32(b"hello") == 1335831723
    assert safe_encode_string(str(fnv1a_32(b"hello"))) == "5779d75c67"
    assert fnv1a_32(b"") == 0x811C9DC5


def test_hash_is_stable_and_looks_like_a_kubernetes_one() -> None:
    value = compute_hash(template())
    assert value == compute_hash(copy.deepcopy(template()))
    assert set(value) <= set("456789bcdf")
    assert 1 <= len(value) <= 10


def test_hash_ignores_key_order_but_not_content() -> None:
    a = template()
    b = {"spec": a["spec"], "metadata": a["metadata"]}
    assert compute_hash(a) == compute_hash(b)
    assert compute_hash(a) != compute_hash(template(image="nginx:1.16.1"))


def test_collision_count_changes_the_hash() -> None:
    base = compute_hash(template())
    assert compute_hash(template(), 0) != base
    assert compute_hash(template(), 1) not in (base, compute_hash(template(), 0))
    assert compute_hash(template(), None) == base


# --- revisions ---


def _rs(revision: str | None) -> dict[str, object]:
    annotations = {} if revision is None else {"deployment.kubernetes.io/revision": revision}
    return {"metadata": {"name": "x", "annotations": annotations}}


@pytest.mark.parametrize(("value", "expected"), [("3", 3), (None, 0), ("x", 0), ("12", 12)])
def test_revision_of_reads_the_annotation(value: str | None, expected: int) -> None:
    assert revision_of(_rs(value)) == expected


def test_max_and_last_revision() -> None:
    rss = [_rs("1"), _rs("4"), _rs("3")]
    assert max_revision(rss) == 4
    assert last_revision(rss) == 3
    assert max_revision([]) == 0
    assert last_revision([_rs("5")]) == 0


def test_templates_equal_ignoring_the_hash_label() -> None:
    plain = template()
    hashed = copy.deepcopy(plain)
    hashed["metadata"]["labels"]["pod-template-hash"] = "7c5ddbdf54"
    assert templates_equal_ignoring_hash(plain, hashed)
    assert not templates_equal_ignoring_hash(plain, template(image="nginx:1.16.1"))
    assert template_without_hash(hashed) == plain
    assert "pod-template-hash" in hashed["metadata"]["labels"]  # input untouched


def test_empty_and_missing_maps_are_semantically_equal() -> None:
    a = template()
    b = copy.deepcopy(a)
    del b["spec"]["securityContext"]
    assert templates_equal_ignoring_hash(a, b)
    only_hash = {"metadata": {"labels": {"pod-template-hash": "5"}}, "spec": {}}
    assert template_without_hash(only_hash) == {"metadata": {}, "spec": {}}


# --- conditions (progress.go syncRolloutStatus) ---


def _status_with(*conditions: dict[str, str]) -> dict[str, object]:
    return {"conditions": [dict(c) for c in conditions]}


def test_new_condition_has_kubernetes_field_order() -> None:
    condition = new_condition("Available", "True", "MinimumReplicasAvailable", "m", NOW)
    assert list(condition) == [
        "type",
        "status",
        "lastUpdateTime",
        "lastTransitionTime",
        "reason",
        "message",
    ]
    assert condition["lastUpdateTime"] == rfc3339(NOW)
    bare = new_condition("Ready", "True", "", "", NOW, with_update_time=False)
    assert "lastUpdateTime" not in bare


def test_same_status_and_reason_changes_nothing() -> None:
    old = new_condition("Available", "True", "MinimumReplicasAvailable", "old", NOW)
    status = _status_with(old)
    newer = new_condition("Available", "True", "MinimumReplicasAvailable", "new", NOW + 60)
    assert not set_condition(status, newer)
    assert status["conditions"] == [old]


def test_new_reason_moves_the_entry_to_the_end_and_keeps_transition_time() -> None:
    progressing = new_condition("Progressing", "True", "NewReplicaSetCreated", "c", NOW)
    available = new_condition("Available", "False", "MinimumReplicasUnavailable", "u", NOW)
    status = _status_with(progressing, available)
    done = new_condition("Progressing", "True", "NewReplicaSetAvailable", "d", NOW + 60)
    assert set_condition(status, done)
    conditions = status["conditions"]
    assert isinstance(conditions, list)
    assert [c["type"] for c in conditions] == ["Available", "Progressing"]
    assert conditions[1]["lastTransitionTime"] == rfc3339(NOW)
    assert conditions[1]["lastUpdateTime"] == rfc3339(NOW + 60)


def test_new_status_resets_transition_time() -> None:
    status = _status_with(
        new_condition("Available", "False", "MinimumReplicasUnavailable", "", NOW)
    )
    set_condition(
        status, new_condition("Available", "True", "MinimumReplicasAvailable", "", NOW + 5)
    )
    condition = get_condition(status, "Available")
    assert condition is not None
    assert condition["lastTransitionTime"] == rfc3339(NOW + 5)


def test_remove_condition_drops_an_empty_list() -> None:
    status = _status_with(new_condition("Progressing", "True", "x", "", NOW))
    assert not remove_condition(status, "Available")
    assert remove_condition(status, "Progressing")
    assert "conditions" not in status
    assert get_condition(status, "Progressing") is None
