"""The objects a changing command visits, found as kubectl's resource builder finds them.

`label`, `annotate`, `patch` and `edit` name objects as `TYPE NAME...`, `TYPE/NAME...`, a type
with `-l`/`--field-selector`/`--all`, or `-f FILE`; each is read fresh from the server
(`Latest()`). Objects that cannot be read are reported after the others were handled
(ContinueOnError), and `single` says whether exactly one object was named, which changes how
some commands print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.errors import CliError, Failures

NOTHING_NAMED = "one or more resources must be specified as <resource> <name> or <resource>/<name>"


@dataclass
class Targets:
    objects: list[tuple[KindInfo, Obj]] = field(default_factory=list)
    single: bool = False
    failures: Failures = field(default_factory=Failures)


def find(
    client: Client,
    args: list[str],
    filenames: list[str] | None = None,
    *,
    selector: str | None = None,
    field_selector: str | None = None,
    all_: bool = False,
    all_namespaces: bool = False,
) -> Targets:
    from controlplane.api.errors import ApiError
    from minikubectl.manifests import read_manifests
    from minikubectl.resources import check_selector_use, parse_targets

    check_selector_use(args, bool(selector or field_selector or all_))
    manifests = read_manifests(filenames) if filenames else []
    parsed = parse_targets(args)
    if any(name is None for _, name in parsed) and not (selector or field_selector or all_):
        raise CliError("resource(s) were provided, but no name was specified")
    found = Targets(single=len(manifests) + len(parsed) == 1 and all(n for _, n in parsed))

    def fetch(info: KindInfo, namespace: str, name: str) -> None:
        try:
            found.objects.append((info, client.api.get(info.kind, namespace, name)))
        except ApiError as exc:
            found.failures.add(exc)

    for m in manifests:
        fetch(m.info, client.namespace_for(m.info, m.obj), m.obj["metadata"]["name"])
    for info, name in parsed:
        if name is not None:
            fetch(info, client.namespace_for(info), name)
            continue
        objects = client.list_objects(
            info, all_namespaces=all_namespaces, selector=selector, field_selector=field_selector
        )
        found.objects.extend((info, obj) for obj in objects)
    return found
