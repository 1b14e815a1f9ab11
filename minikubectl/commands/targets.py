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
    from minikubectl.commands.builder import list_type, resolve
    from minikubectl.resources import check_selector_use

    check_selector_use(args, bool(selector or field_selector or all_))
    requests = resolve(client, args, filenames)
    if any(r.name is None for r in requests) and not (selector or field_selector or all_):
        raise CliError("resource(s) were provided, but no name was specified")
    found = Targets(single=len(requests) == 1 and requests[0].name is not None)
    for request in requests:
        if request.name is None:
            objects = list_type(
                client,
                request.info,
                all_namespaces=all_namespaces,
                selector=selector,
                field_selector=field_selector,
            )
            found.objects.extend((request.info, obj) for obj in objects)
            continue
        try:
            got = client.api.get(request.info.kind, request.namespace, request.name)
        except ApiError as exc:
            found.failures.add(exc)
            continue
        found.objects.append((request.info, got))
    return found
