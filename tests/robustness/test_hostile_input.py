"""Hostile manifests: each refused with exit 1 and a message that locates the problem, no
traceback, within 2 s of CPU and 256 MiB of address space, and the store left unchanged.

The corpus is `hostile/`: one manifest per file, its expected stderr beside it in `.err`
(`{file}` stands for the path given to mkctl). Messages name the file and the document (or,
for the API's validation errors, which kubectl prints without the file, the object's kind
and name) and the field path where there is one. Three multi-megabyte documents are made
here rather than kept in the repository. An empty file gets kubectl's "no objects passed to
apply", which has nothing to locate.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, Mkctl, make_mkctl
from tests.e2e.test_bad_input import store_rows

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix != ".err")
LIMITS = (2, 256 * 1024 * 1024)  # CPU seconds, bytes of address space
MiB = 1024 * 1024

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: big
  annotations:
    note: {note}
spec:
  containers:
  - name: c
    image: busybox
    args: {args}
"""
BIG = [
    (
        "apply",
        "annotation-of-1-mib",
        POD.format(note="x" * MiB, args="[]"),
        'The Pod "big" is invalid: metadata.annotations: Too long: may not be more than 262144 '
        "bytes",
    ),
    (
        "apply",
        "document-of-4-mib",
        POD.format(note="x", args="[" + ", ".join(["y" * (MiB // 2)] * 8) + "]"),
        'Error from server (RequestEntityTooLarge): error when creating "{file}": Request entity '
        "too large: limit is 3145728",
    ),
    (  # with apply, last-applied would double it and the annotations be too long first
        "create",
        "object-of-2-mib",
        POD.format(note="x", args="[" + ", ".join(["y" * (MiB // 4)] * 8) + "]"),
        'Error from server: error when creating "{file}": etcdserver: request is too large',
    ),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Mkctl, Path]]:
    """One cluster for the whole corpus, with the lesson's Deployment in it."""
    home = tmp_path_factory.mktemp("hostile") / "home"
    mkctl = make_mkctl(home)
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    yield mkctl, home


def refused(seeded: tuple[Mkctl, Path], path: str, expected: str, verb: str = "apply") -> None:
    mkctl, home = seeded
    before = store_rows(home)
    result = mkctl(verb, "-f", path, limits=LIMITS)
    assert "Traceback" not in result.err
    assert (result.code, result.out) == (1, ""), result
    assert result.err == expected.replace("{file}", path) + "\n"
    # The file is named, or (validation) the kind and name; an empty file has no more to say.
    assert path in result.err or result.err.startswith(("The ", "error: no objects passed"))
    assert store_rows(home) == before


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_a_hostile_manifest_is_refused_cleanly(seeded: tuple[Mkctl, Path], case: Path) -> None:
    expected = case.with_name(case.name + ".err").read_text().rstrip("\n")
    refused(seeded, str(case.relative_to(REPO)), expected)


@pytest.mark.parametrize(("verb", "name", "text", "expected"), BIG, ids=[b[1] for b in BIG])
def test_a_multi_megabyte_manifest_is_refused_cleanly(
    seeded: tuple[Mkctl, Path], tmp_path: Path, verb: str, name: str, text: str, expected: str
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    refused(seeded, str(path), expected, verb)


def test_the_corpus_is_large_and_every_case_has_its_message() -> None:
    assert len(CASES) >= 50
    assert all(case.with_name(case.name + ".err").exists() for case in CASES)
