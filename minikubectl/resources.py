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


def parse_targets(args: list[str]) -> list[Target]:
    """The objects or types a command names, in the order given (names None = all)."""
    if not args:
        return []
    if any("/" in a for a in args):
        if "/" not in args[0]:
            raise CliError(MIXED_FORMS)
        targets: list[Target] = []
        for arg in args:
            if "/" not in arg:
                raise CliError(MIXED_FORMS)
            word, _, name = arg.partition("/")
            if not name:
                raise CliError(
                    "arguments in resource/name form must have a single resource and name"
                )
            targets.append((resolve_type(word), name))
        return targets
    types = [
        info
        for word in args[0].split(",")
        if word
        for info in (category_members(word) or [resolve_type(word)])
    ]
    names = args[1:]
    if not names:
        return [(info, None) for info in types]
    if len(types) > 1:
        raise CliError("you must specify only one resource type when naming objects")
    return [(types[0], name) for name in names]


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
    if any("/" in a for a in args):
        raise CliError(
            "selectors and the all flag cannot be used when passing resource/name arguments"
        )
    if len(args) > 1:
        raise CliError("name cannot be provided when a selector is specified")
