"""`learner add|list|kubeconfig|remove`: a class on one cluster, each learner in a namespace.

A teacher (the cluster's owner) adds a learner: a namespace, a token whose hash the cluster
keeps (`controlplane.models.learners`), and a kubeconfig file to hand out, which kubectl and
mkctl (`mkctl --kubeconfig FILE ...`) both accept. With it the learner does what the `edit`
role (or `view`) allows in that namespace, reads the nodes, and is refused everything else
with Kubernetes' 403 Forbidden. The token is shown once, in that file: `learner kubeconfig`
makes a new one (the old one stops working) when a file is lost or the daemon moved.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from controlplane.models import learners
from minikubectl.client import Client
from minikubectl.commands.options import out
from minikubectl.errors import CliError

if TYPE_CHECKING:
    from controlplane.models.constants import Obj

app = typer.Typer(
    help="Give learners a namespace each on this cluster, and a kubeconfig to reach it.",
    no_args_is_help=True,
)

CLUSTER_NAME = "mkctl-classroom"  # not `mkctl`: that context of mkctl's own config names the store

Name = Annotated[str, typer.Argument(help="The learner's name: its user name in the cluster.")]
Server = Annotated[
    str | None,
    typer.Option(
        "--server",
        help="The API server URL to write in the kubeconfig (default: the running daemon's).",
        show_default=False,
    ),
]
File = Annotated[
    str | None,
    typer.Option(
        "--file",
        help="Where to write the kubeconfig (default: NAME.kubeconfig; - prints it).",
        show_default=False,
    ),
]


def _check_name(name: str, what: str) -> None:
    from controlplane.models.identifiers import dns1123_label_errors

    problems = dns1123_label_errors(name)
    if problems:
        raise CliError(f'invalid {what} "{name}": {"; ".join(problems)}')


def _server(given: str | None) -> dict[str, str]:
    """The kubeconfig's cluster entry: `given`, else the running daemon's URL (https with
    its certificate when it has one)."""
    from controlplane.apiserver import endpoint, tls
    from controlplane.apiserver.kubeconfig import cluster_entry
    from controlplane.home import home

    if given:
        if not given.startswith(("http://", "https://")):
            raise CliError(f'invalid --server "{given}": must be an http:// or https:// URL')
        entry = {"server": given}
        if given.startswith("https://") and tls.has_certificate(home()):
            entry["certificate-authority-data"] = tls.authority_data(home())
        return entry
    served = endpoint.read(home())
    if served is None:
        raise CliError(
            "the mkctl daemon is not running: a learner's kubeconfig names its API server; "
            "start it with 'mkctl cluster start' (or give --server)"
        )
    return cluster_entry(served.url, home())


def _hand_out(learner: learners.Learner, token: str, cluster: dict[str, str], file: str) -> str:
    """Write the learner's kubeconfig to `file` (0600), or print it for `-`; where it went."""
    import json

    from controlplane.apiserver.kubeconfig import kubeconfig, write

    doc = kubeconfig(
        CLUSTER_NAME,
        cluster,
        learner.name,
        token,
        context=learner.name,
        namespace=learner.namespace,
    )
    if file == "-":
        out(json.dumps(doc, indent=4) + "\n")
        return "stdout"
    write(Path(file), doc)
    return file


def _secret(client: Client, name: str) -> Obj:
    from controlplane.api.errors import ApiError

    try:
        return client.api.get("Secret", learners.SYSTEM_NAMESPACE, learners.secret_name(name))
    except ApiError as exc:
        if exc.reason == "NotFound":
            raise CliError(f'learner "{name}" not found') from None
        raise


@app.command("add")
def add(
    name: Name,
    namespace: Annotated[
        str | None,
        typer.Option(
            "--namespace",
            "-n",
            help="The learner's namespace, made if missing (default: its name).",
            show_default=False,
        ),
    ] = None,
    role: Annotated[
        str,
        typer.Option(
            "--role", help="What it may do there: edit (read and write) or view (read only)."
        ),
    ] = "edit",
    server: Server = None,
    file: File = None,
) -> None:
    """Add a learner: a namespace of its own, a token, and a kubeconfig to hand out.

    The learner may do what Kubernetes' `edit` ClusterRole (or `view`) allows in its
    namespace, and read the nodes; anything else is refused, as a RoleBinding would.

    Examples:
      mkctl learner add ana
      mkctl learner add bob --namespace team-b --role view --file /tmp/bob.kubeconfig
      kubectl --kubeconfig ana.kubeconfig get pods
      mkctl --kubeconfig ana.kubeconfig apply -f samples/02-deployment.yaml
    """
    from controlplane.api.errors import ApiError

    namespace = namespace or name
    _check_name(name, "learner name")
    _check_name(namespace, "namespace")
    if role not in learners.ROLES:
        raise CliError(f'invalid --role "{role}": must be one of edit, view')
    cluster = _server(server)
    client = Client()
    learner = learners.Learner(name, namespace, role)
    token = learners.new_token(name)
    try:
        client.api.create(learners.learner_secret(learner, token))
    except ApiError as exc:
        if exc.reason == "AlreadyExists":
            raise CliError(
                f'learner "{name}" already exists (a new token: \'mkctl learner kubeconfig '
                f"{name}')"
            ) from None
        raise
    try:
        client.api.create(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
        )
    except ApiError as exc:
        if exc.reason != "AlreadyExists":
            raise
    client.settle()
    where = _hand_out(learner, token, cluster, file or f"{name}.kubeconfig")
    message = f"learner/{name} created (namespace {namespace}, role {role}); kubeconfig: {where}\n"
    if where == "stdout":
        from minikubectl.commands.options import err

        err(message)
    else:
        out(message)


@app.command("list")
def list_learners() -> None:
    """List the learners, with their namespaces and roles.

    Examples:
      mkctl learner list
    """
    from minikubectl.commands.options import now
    from minikubectl.printers.age import age

    client = Client()
    secrets = client.api.list(
        "Secret", learners.SYSTEM_NAMESPACE, label_selector=learners.LEARNER_LABEL
    )
    rows = [
        (learner.name, learner.namespace, learner.role, age(learner.created, now()))
        for learner in sorted(
            filter(None, map(learners.from_secret, secrets)), key=lambda x: x.name
        )
    ]
    if not rows:
        from minikubectl.commands.options import err

        err("No learners found.")
        return
    table = [("NAME", "NAMESPACE", "ROLE", "AGE"), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    out(
        "".join(
            "   ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "   "
            + row[3]
            + "\n"
            for row in table
        )
    )


@app.command("kubeconfig")
def new_kubeconfig(name: Name, server: Server = None, file: File = None) -> None:
    """Give a learner a new token and write its kubeconfig again; the old token stops working.

    Examples:
      mkctl learner kubeconfig ana
      mkctl learner kubeconfig ana --file - > ana.kubeconfig
    """
    cluster = _server(server)
    client = Client()
    secret = _secret(client, name)
    learner = learners.from_secret(secret)
    if learner is None:
        raise CliError(f'learner "{name}" not found')
    token = learners.new_token(name)
    replaced = learners.learner_secret(learner, token)
    replaced["metadata"]["resourceVersion"] = secret["metadata"]["resourceVersion"]
    client.api.update(replaced)
    where = _hand_out(learner, token, cluster, file or f"{name}.kubeconfig")
    if where != "stdout":
        out(f"learner/{name} has a new token; kubeconfig: {where}\n")


@app.command("remove")
def remove(
    name: Name,
    keep_namespace: Annotated[
        bool,
        typer.Option("--keep-namespace", help="Keep the learner's namespace and what it holds."),
    ] = False,
) -> None:
    """Remove a learner: its token stops working at once, and its namespace is deleted.

    Examples:
      mkctl learner remove ana
      mkctl learner remove ana --keep-namespace
    """
    from controlplane.api.errors import ApiError

    client = Client()
    learner = learners.from_secret(_secret(client, name))
    client.api.delete("Secret", learners.SYSTEM_NAMESPACE, learners.secret_name(name))
    if learner is not None and not keep_namespace:
        try:
            client.api.delete("Namespace", "", learner.namespace)
        except ApiError as exc:
            if exc.reason == "Forbidden":  # default, kube-system and kube-public stay
                from minikubectl.commands.options import err

                err(f"namespace {learner.namespace} kept: {exc.message}")
            elif exc.reason != "NotFound":
                raise
    client.settle()
    out(f"learner/{name} removed\n")
