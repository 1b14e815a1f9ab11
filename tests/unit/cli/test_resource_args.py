"""`parse_targets`: the objects and types a command line names, read as cli-runtime's
Builder.ResourceTypeOrNameArgs reads them (each case below was checked against kubectl 1.37)."""

from __future__ import annotations

import pytest

from controlplane.api.registry import KINDS
from minikubectl.errors import CliError
from minikubectl.resources import parse_targets

BY_KIND = {info.kind: info for info in KINDS}
POD, DEPLOYMENT, SERVICE = BY_KIND["Pod"], BY_KIND["Deployment"], BY_KIND["Service"]


@pytest.mark.parametrize(
    ("args", "targets"),
    [
        # a type named twice, by one name or by two, is listed once, where first named
        (["pods,pods"], [(POD, None)]),
        (["pods,po"], [(POD, None)]),
        (["pods,deploy,pods"], [(POD, None), (DEPLOYMENT, None)]),
        (
            ["deploy,deployments.apps,svc,deployments.v1.apps"],
            [(DEPLOYMENT, None), (SERVICE, None)],
        ),
        # an object named twice is fetched twice
        (["pods", "a", "a"], [(POD, "a"), (POD, "a")]),
        (["pod/a", "pods/a"], [(POD, "a"), (POD, "a")]),
        # the same word twice before names is one type; two words make TYPE/NAME pairs
        (["pods,pods", "a"], [(POD, "a")]),
        (["po,pods", "a", "b"], [(POD, "a"), (POD, "b"), (POD, "a"), (POD, "b")]),
        (["pods,deploy", "a"], [(POD, "a"), (DEPLOYMENT, "a")]),
    ],
)
def test_types_are_listed_once_and_objects_as_often_as_named(
    args: list[str], targets: list[tuple[object, str | None]]
) -> None:
    assert parse_targets(args) == targets


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pods,po/a"], "arguments in resource/name form must have a single resource and name"),
        (["pods,", "a"], "arguments in resource/name form must have a single resource and name"),
        (["pod/a/b"], "arguments in resource/name form may not have more than one slash"),
        (["pods", "pod/a"], "there is no need to specify a resource type as a separate argument"),
    ],
)
def test_malformed_arguments_fail_in_the_builders_words(args: list[str], message: str) -> None:
    with pytest.raises(CliError) as caught:
        parse_targets(args)
    assert str(caught.value).startswith(message)
