"""The only source of randomness: uids and the 5-character name suffixes.

Kubernetes draws `generateName` suffixes from a 27-character alphabet with no vowels and no
0, 1 or 3 (apimachinery/pkg/util/rand/rand.go), so names look like `nginx-7c5ddbdf54-2xkzq`.
Tests inject `SeededIds` for repeatable names.
"""

from __future__ import annotations

import random
from typing import Protocol

SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
SUFFIX_LENGTH = 5
MAX_GENERATE_NAME_BASE = 58


class Ids(Protocol):
    def uid(self) -> str: ...

    def suffix(self) -> str: ...


class RandomIds:
    def __init__(self) -> None:
        self._random = random.SystemRandom()

    def uid(self) -> str:
        import uuid  # for writes only: a reading command draws no uid

        return str(uuid.uuid4())

    def suffix(self) -> str:
        return "".join(self._random.choice(SAFE_ALPHABET) for _ in range(SUFFIX_LENGTH))


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
