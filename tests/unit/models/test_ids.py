"""Uids are version 4 uuids as Kubernetes' (google/uuid NewRandom), names draw the 5
characters of utilrand's alphabet."""

from __future__ import annotations

import uuid

from controlplane.ids import SAFE_ALPHABET, RandomIds, generate_name


def test_uids_are_distinct_rfc_4122_version_4_uuids() -> None:
    ids = RandomIds()
    drawn = [ids.uid() for _ in range(2000)]
    assert len(set(drawn)) == len(drawn)
    for text in drawn:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)
    # every variant nibble (8, 9, a, b) turns up: the two free bits are random
    assert {text[19] for text in drawn} == set("89ab")


def test_generated_names_append_five_safe_characters() -> None:
    name = generate_name("web-69f5bc75d4-", RandomIds())
    assert name.startswith("web-69f5bc75d4-") and len(name) == len("web-69f5bc75d4-") + 5
    assert set(name[-5:]) <= set(SAFE_ALPHABET)
