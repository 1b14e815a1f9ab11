"""What every `create` generator shares (kubectl's generators in
staging/src/k8s.io/kubectl/pkg/cmd/create): the --dry-run and -o checks, the one NAME, and
sending what a generator made, printed as kubectl prints it."""

from __future__ import annotations

from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import out
from minikubectl.errors import CliError

DRY_RUN_VALUES = {"none": "", "client": " (dry run)", "server": " (server dry run)"}


def dry_run_and_output(dry_run: str, output: str) -> str:
    """The generators' flags checked as kubectl checks them; the output format, normalised."""
    if dry_run not in DRY_RUN_VALUES:
        raise CliError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')
    output = output.lstrip("=")
    if output not in ("", "yaml", "json", "name"):
        raise CliError(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            f"formats are: json,name,yaml"
        )
    return output


def one_name(names: list[str] | None, generator: str) -> str:
    if len(names or []) != 1:
        raise CliError(
            f"exactly one NAME is required, got {len(names or [])}\n"
            f"See 'kubectl create {generator} -h' for help and examples"
        )
    return (names or [])[0]


# Kinds whose Go types have no status: kubectl's client dry run prints none for them.
STATUSLESS_KINDS = frozenset({"ConfigMap", "Secret"})


def create_generated(
    obj: Obj,
    prefix: str,
    dry_run: str,
    output: str,
    namespace: str | None = None,
    verb: str = "created",
    *,
    wrap: str = "",
    field_manager: str = "kubectl-create",
    validate: str | None = None,
) -> None:
    """Send what a generator made (unless a client dry run) and print it as kubectl does;
    `wrap` prefixes a refusal's message as some generators do (`failed to create configmap: `).
    `validate` is the `create` generators' `--validate` flag; `run` and `expose` have none and
    send no fieldValidation."""
    from controlplane.api.errors import ApiError
    from minikubectl.commands.options import validation_directive
    from minikubectl.printers import formats

    name = obj["metadata"]["name"]
    if dry_run == "client" and namespace is not None:  # EnforceNamespace: -n was given
        # ObjectMeta's field order: the namespace follows the name.
        meta = obj["metadata"]
        obj["metadata"] = {"name": name, "namespace": namespace, **meta}
    directive = validation_directive(validate) if validate is not None else ""
    if dry_run != "client":
        client = Client(namespace, field_validation=directive)
        if client.info(obj["kind"]).namespaced:  # -n (before the verb too), else the context's
            obj["metadata"]["namespace"] = client.namespace
        try:
            created = client.create_object(
                obj, dry_run=dry_run == "server", field_manager=field_manager
            )
        except ApiError as exc:
            if not wrap:
                raise
            raise CliError(wrap + exc.message) from exc
        obj = formats.omit_managed_fields(created)
        client.settle()
    elif obj["kind"] not in STATUSLESS_KINDS:
        obj.setdefault("status", {})
    if output == "json":
        out(formats.to_json(obj, ordered=dry_run == "client"))
    elif output == "yaml":
        out(formats.to_yaml(obj))
    elif output == "name":
        out(f"{prefix}/{name}\n")
    else:
        out(f"{prefix}/{name} {verb}{DRY_RUN_VALUES[dry_run]}\n")
