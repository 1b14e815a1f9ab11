"""kubectl's resource builder: the objects a command names by file, by TYPE NAME or by selector.

`resolve` reads what every command that takes `-f` names (delete, wait, label, annotate,
patch, edit): the documents of `-f FILE`, then `TYPE NAME...`, `TYPE/NAME...` or a bare
`TYPE`, each in its namespace; `list_type` lists a bare type with `-l SELECTOR`,
`--field-selector` (across namespaces with `-A`), for those commands and for `get` and `tree`,
which name no files. `select` is delete's and wait's use of
them: (kind, namespace, name) in that order, with kubectl's errors when nothing, or a type
without names, was given; `targets.find` fetches what they name.
"""

from __future__ import annotations

from dataclasses import dataclass

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.errors import CliError

Target = tuple[KindInfo, str, str]  # kind, namespace ("" when cluster-scoped), name


@dataclass(frozen=True)
class Request:
    """One thing the command line names: an object, or (`name` None) every object of a type."""

    info: KindInfo
    namespace: str  # "" when cluster-scoped
    name: str | None


def resolve(client: Client, args: list[str], filenames: list[str] | None = None) -> list[Request]:
    """The objects named in the files (in their own namespace, else the command's), then the
    objects or types named by argument, in order."""
    from minikubectl.manifests import read_manifests
    from minikubectl.resources import parse_targets

    requests = [
        Request(m.info, client.namespace_for(m.info, m.obj), m.obj["metadata"]["name"])
        for m in (read_manifests(filenames) if filenames else [])
    ]
    requests += [
        Request(info, client.namespace_for(info), name) for info, name in parse_targets(args)
    ]
    return requests


def list_type(
    client: Client,
    info: KindInfo,
    *,
    all_namespaces: bool,
    selector: str | None,
    field_selector: str | None,
) -> list[Obj]:
    """Every object of a bare type the selectors choose (kubectl's visitBySelector)."""
    return client.list_objects(
        info, all_namespaces=all_namespaces, selector=selector, field_selector=field_selector
    )


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
    if all_ and ((selector or "").strip() or (field_selector or "").strip()):
        # cli-runtime's Builder.SelectAllParam (staging/src/k8s.io/cli-runtime/pkg/resource/
        # builder.go), trailing space and all.
        raise CliError("setting 'all' parameter but found a non empty selector. ")
    requests = resolve(client, resources, filenames)
    if not filenames and not resources:
        raise CliError(NOTHING_NAMED)
    targets: list[Target] = []
    for request in requests:
        if request.name is not None:
            targets.append((request.info, request.namespace, request.name))
            continue
        if not (selector or field_selector or all_):
            raise CliError("resource(s) were provided, but no name was specified")
        found = list_type(
            client,
            request.info,
            all_namespaces=all_namespaces,
            selector=selector,
            field_selector=field_selector,
        )
        for obj in found:
            targets.append(
                (request.info, obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
            )
    return targets
