"""The only source of randomness: uids and the 5-character name suffixes.

Kubernetes draws `generateName` suffixes from a 27-character alphabet with no vowels and no
0, 1 or 3 (apimachinery/pkg/util/rand/rand.go), so names look like `nginx-7c5ddbdf54-2xkzq`.
Tests inject `SeededIds` for repeatable names.
"""

from __future__ import annotations

import os
import random
from typing import Protocol

SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
SUFFIX_LENGTH = 5
MAX_GENERATE_NAME_BASE = 58


class Ids(Protocol):
    def uid(self) -> str: ...

    def suffix(self) -> str: ...


# The variant nibble of a version 4 uuid (RFC 4122: the top two bits 10): 8, 9, a or b.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


class RandomIds:
    def uid(self) -> str:
        """`uuid.uuid4()`'s text, without building a UUID object: every object and Event
        takes one, and the object cost as much as the randomness."""
        h = os.urandom(16).hex()
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"

    def suffix(self) -> str:
        """utilrand.String: math/rand, as upstream draws it (not a secret, only a name)."""
        return "".join(random.choices(SAFE_ALPHABET, k=SUFFIX_LENGTH))


class SeededIds:
    """Deterministic ids for tests: the same seed gives the same uids and names."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)

    def uid(self) -> str:
        import uuid

        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def suffix(self) -> str:
        return "".join(self._random.choice(SAFE_ALPHABET) for _ in range(SUFFIX_LENGTH))


def generate_name(base: str, ids: Ids) -> str:
    """`generateName` semantics: cut the base to 58 characters, append 5 random ones."""
    return base[:MAX_GENERATE_NAME_BASE] + ids.suffix()
