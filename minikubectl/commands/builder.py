"""kubectl's resource builder: the objects a command names by file, by TYPE NAME or by selector.

`delete` and `wait` take the same arguments: `-f FILE` documents, `TYPE NAME...`,
`TYPE/NAME...`, or `TYPE` with `-l SELECTOR`, `--field-selector` or `--all` (across
namespaces with `-A`). The
builder turns them into (kind, namespace, name) in that order, with kubectl's errors when
nothing, or a type without names, was given.
"""

from __future__ import annotations

from controlplane.api.registry import KindInfo
from minikubectl.client import Client
from minikubectl.errors import CliError

Target = tuple[KindInfo, str, str]  # kind, namespace ("" when cluster-scoped), name

NOTHING_NAMED = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'"
)


def select(
    client: Client,
    resources: list[str],
    filenames: list[str],
    *,
    all_namespaces: bool,
    selector: str | None,
    all_: bool,
    field_selector: str | None = None,
) -> list[Target]:
    """Every object named in a file, named by argument, or listed by selector or --all."""
    from minikubectl.manifests import read_manifests
    from minikubectl.resources import parse_targets

    if all_ and ((selector or "").strip() or (field_selector or "").strip()):
        # cli-runtime's Builder.SelectAllParam (staging/src/k8s.io/cli-runtime/pkg/resource/
        # builder.go), trailing space and all.
        raise CliError("setting 'all' parameter but found a non empty selector. ")
    targets: list[Target] = [
        (m.info, client.namespace_for(m.info, m.obj), m.obj["metadata"]["name"])
        for m in (read_manifests(filenames) if filenames else [])
    ]
    parsed = parse_targets(resources)
    if not filenames and not parsed:
        raise CliError(NOTHING_NAMED)
    for info, name in parsed:
        if name is not None:
            targets.append((info, client.namespace_for(info), name))
            continue
        if not (selector or field_selector or all_):
            raise CliError("resource(s) were provided, but no name was specified")
        found = client.list_objects(
            info, all_namespaces=all_namespaces, selector=selector, field_selector=field_selector
        )
        for obj in found:
            targets.append((info, obj["metadata"].get("namespace", ""), obj["metadata"]["name"]))
    return targets
