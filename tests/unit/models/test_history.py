"""ControllerRevision data helpers (pkg/controller/history, statefulset getPatch/ApplyRevision)."""

from __future__ import annotations

from controlplane.models.history import (
    apply_revision,
    equal_revision,
    fnv1_32,
    hash_revision,
    new_controller_revision,
    next_revision,
    revision_data,
    revision_name,
    sort_revisions,
)
from controlplane.models.revisions import canonical_json, fnv1a_32

SET = {
    "apiVersion": "apps/v1",
    "kind": "StatefulSet",
    "metadata": {"name": "web", "namespace": "default", "uid": "u-1", "annotations": {"a": "b"}},
    "spec": {
        "replicas": 3,
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]},
        },
    },
}


def test_fnv1_is_not_fnv1a() -> None:
    # Published FNV test vectors: FNV-1 and FNV-1a of "" and of "a".
    assert fnv1_32(b"") == fnv1a_32(b"") == 0x811C9DC5
    assert fnv1_32(b"a") == 0x050C5D7E
    assert fnv1a_32(b"a") == 0xE40C292C


def test_revision_data_is_the_replace_patch_with_a_null_creation_timestamp() -> None:
    data = revision_data(SET)
    assert data == {
        "spec": {
            "template": {
                "$patch": "replace",
                "metadata": {"labels": {"app": "web"}, "creationTimestamp": None},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]},
            }
        }
    }
    assert canonical_json(data).startswith(b'{"spec":{"template":{"$patch":"replace","metadata"')


def test_the_hash_takes_the_collision_count_in_decimal() -> None:
    data = revision_data(SET)
    first, second = hash_revision(data, 0), hash_revision(data, 1)
    assert first != second and set(first + second) <= set("456789bcdf")
    assert first == hash_revision(revision_data(SET), 0)  # stable across calls


def test_names_cut_the_prefix_to_223_characters() -> None:
    assert revision_name("web", "7b4d5f6c9") == "web-7b4d5f6c9"
    assert len(revision_name("x" * 300, "7b4d5f6c9")) == 223 + 1 + 9


def test_apply_revision_restores_the_template_and_nothing_else() -> None:
    revision = new_controller_revision(SET, "web-1", {"app": "web"}, revision_data(SET), 1)
    changed = {**SET, "spec": {**SET["spec"], "replicas": 5, "template": {"metadata": {}}}}
    restored = apply_revision(changed, revision)
    assert restored["spec"]["template"] == SET["spec"]["template"]
    assert restored["spec"]["replicas"] == 5


def test_new_revisions_carry_the_owner_annotations_and_a_controller_reference() -> None:
    revision = new_controller_revision(SET, "web-1", {"app": "web"}, revision_data(SET), 4)
    assert revision["metadata"]["annotations"] == {"a": "b"}
    assert revision["metadata"]["ownerReferences"][0]["uid"] == "u-1"
    assert revision["revision"] == 4


def test_ordering_equality_and_next_number() -> None:
    older = new_controller_revision(SET, "web-b", {}, {"x": 1}, 1)
    newer = new_controller_revision(SET, "web-a", {}, {"x": 2}, 2)
    assert [r["metadata"]["name"] for r in sort_revisions([newer, older])] == ["web-b", "web-a"]
    assert next_revision(sort_revisions([newer, older])) == 3 and next_revision([]) == 1
    assert equal_revision(older, {"data": {"x": 1}}) and not equal_revision(older, newer)
