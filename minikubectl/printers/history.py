"""`kubectl rollout history` output: the revision table, or one revision's pod template.

kubectl prints both through its name printer with the text as the "operation", which is why
the table form starts with `deployment.apps/nginx ` (a trailing space: the operation begins
with a newline) and ends with an empty line. The table is aligned by a (0, 8, 2) tabwriter, so
`REVISION` is 10 columns wide; the `--revision` detail is not aligned at all (literal tabs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from minikubectl.printers.podtemplate import revision_detail
from minikubectl.printers.tabwriter import describe_table

NO_HISTORY = "No rollout history found."


def rollout_history_table(kind_group_name: str, rows: Iterable[tuple[int, str]]) -> str:
    """`deployment.apps/nginx \\nREVISION  CHANGE-CAUSE\\n1         <none>\\n...\\n\\n`.

    `rows` are (revision, change-cause) pairs in any order; an empty cause shows `<none>`.
    No rows at all prints `No rollout history found.` instead of the table.
    """
    ordered = sorted(rows)
    if not ordered:
        return f"{kind_group_name} \n{NO_HISTORY}\n"
    text = "REVISION\tCHANGE-CAUSE\n" + "".join(
        f"{revision}\t{cause or '<none>'}\n" for revision, cause in ordered
    )
    return f"{kind_group_name} \n{describe_table(text)}\n"


def rollout_history_revision(
    kind_group_name: str, revision: int, template: dict[str, Any] | None
) -> str:
    """The whole `rollout history --revision=N` output: header, pod template, empty line.

    `template` is the revision's pod template with its change-cause already injected as the
    `kubernetes.io/change-cause` annotation, as kubectl shows it.
    """
    return f"{kind_group_name} with revision #{revision}\n" + revision_detail(template)
