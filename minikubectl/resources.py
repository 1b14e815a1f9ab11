"""Resource types as kubectl's users name them: plurals, singulars, short names, groups.

Also the argument grammar shared by get, describe, delete, scale and rollout:
`TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME...`.
"""

from __future__ import annotations

from controlplane.api.registry import KINDS, KindInfo
from minikubectl.errors import CliError


def _aliases(kinds: tuple[KindInfo, ...]) -> dict[str, KindInfo]:
    """Every name of each kind; the first kind to claim a name keeps it."""
    aliases: dict[str, KindInfo] = {}
    for info in kinds:
        for alias in (info.plural, info.singular, info.kind, *info.short_names):
            aliases.setdefault(alias.lower(), info)
            if info.group:  # TYPE.GROUP and TYPE.VERSION.GROUP, as kubectl resolves them
                aliases.setdefault(f"{alias.lower()}.{info.group}", info)
                aliases[f"{alias.lower()}.{info.version}.{info.group}"] = info
    return aliases


_ALIASES = _aliases(KINDS)


def category_members(word: str) -> list[KindInfo]:
    """The kinds a category such as `all` names, in the order kubectl's category expander
    meets them in discovery: the core group first, then each group's resources by name.
    Custom kinds count too: a word that names no built-in kind asks the cluster for its CRDs."""
    from minikubectl.discovery import custom_kinds

    kinds = KINDS if word.lower() in _ALIASES else KINDS + custom_kinds(lambda i: False)
    members = list({i.kind: i for i in reversed(kinds) if word.lower() in i.categories}.values())
    return sorted(members, key=lambda info: (info.group != "", info.group, info.plural))


def resolve_type(word: str) -> KindInfo:
    """`po`, `pods`, `pod`, `Pod`, `deployments.apps`, `deploy` -> the kind they name; a
    name no built-in kind has is looked up among the cluster's custom kinds."""
    info = _ALIASES.get(word.lower())
    if info is None:
        from minikubectl.discovery import custom_kinds

        found = custom_kinds(lambda i: word.lower() in _aliases((i,)))
        info = _aliases(found).get(word.lower())
    if info is None:
        raise CliError(f'the server doesn\'t have a resource type "{word}"')
    return info


Target = tuple[KindInfo, str | None]

MIXED_FORMS = (
    "there is no need to specify a resource type as a separate argument when passing "
    "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead "
    "of 'kubectl get resource resource/<resource_name>'"
)


def split_resource_argument(arg: str) -> list[str]:
    """The words of `TYPE1,TYPE2,...`, each once, in the order given (cli-runtime's
    SplitResourceArgument, staging/src/k8s.io/cli-runtime/pkg/resource/builder.go)."""
    return list(dict.fromkeys(arg.split(",")))


def normalize_multiple_resources_args(args: list[str]) -> list[str]:
    """`TYPE1,TYPE2 NAME1 NAME2` as `TYPE1/NAME1 TYPE1/NAME2 TYPE2/NAME1 TYPE2/NAME2`
    (builder.go normalizeMultipleResourcesArgs): after dropping repeated words, several
    types with names name objects, not types."""
    if len(args) >= 2:
        types = split_resource_argument(args[0])
        if len(types) > 1:
            return [f"{word}/{name}" for word in types for name in args[1:]]
    return args


def resource_tuple(arg: str) -> tuple[str, str]:
    """`TYPE/NAME` (builder.go splitResourceTypeName)."""
    if arg.count("/") != 1:
        raise CliError("arguments in resource/name form may not have more than one slash")
    word, _, name = arg.partition("/")
    if not word or not name or len(split_resource_argument(word)) != 1:
        raise CliError("arguments in resource/name form must have a single resource and name")
    return word, name


def parse_targets(args: list[str]) -> list[Target]:
    """The objects or types a command names, in the order given (names None = all), as
    cli-runtime's Builder.ResourceTypeOrNameArgs reads them (builder.go): a type named twice,
    by any of its names, is listed once (resourceMappings keeps one mapping per kind), while
    an object named twice is fetched twice (visitByName and visitByResource keep every
    name)."""
    args = normalize_multiple_resources_args(args)
    if any("/" in a for a in args):  # hasCombinedTypeArgs
        if not all("/" in a for a in args):
            raise CliError(MIXED_FORMS)
        named = [resource_tuple(arg) for arg in args]
        return [(resolve_type(word), name) for word, name in named]
    if not args:
        return []
    types = [  # ReplaceAliases, then each kind once
        info
        for word in split_resource_argument(args[0])
        for info in (category_members(word) or [resolve_type(word)])
    ]
    if len(types) > 1 and args[1:]:  # visitByName, with a category such as `all`
        raise CliError("you must specify only one resource")
    names: list[str | None] = [*args[1:]] or [None]
    return [(info, name) for info in dict.fromkeys(types) for name in names]


def single_target(args: list[str]) -> tuple[KindInfo, str]:
    """Commands that act on exactly one named object: `TYPE NAME` or `TYPE/NAME`."""
    targets = parse_targets(args)
    if not targets:
        raise CliError("required resource not specified")
    if len(targets) != 1 or targets[0][1] is None:
        raise CliError(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    info, name = targets[0]
    assert name is not None
    return info, name


def check_selector_use(args: list[str], selecting: bool) -> None:
    """The builder's refusals (visitBySelector) when names come with a selector or --all."""
    if not selecting:
        return
    args = normalize_multiple_resources_args(args)
    if any("/" in a for a in args):
        raise CliError(
            "selectors and the all flag cannot be used when passing resource/name arguments"
        )
    if len(args) > 1:
        raise CliError("name cannot be provided when a selector is specified")
