"""`create -f FILE` and its generators (`create namespace NAME`), as in kubectl.

`create` is a group so that `mkctl create namespace shop` and `mkctl create -f x.yaml` both
work; the file form runs when no generator is named.
"""

from __future__ import annotations

from typing import Annotated

import typer

from controlplane.models.constants import Obj
from minikubectl.commands import apply, create_batch, create_config, create_service, generated
from minikubectl.commands.options import DryRun, Filenames, Namespace, Output, Validate
from minikubectl.errors import CliError
from minikubectl.intflags import INT32

app = typer.Typer(no_args_is_help=False)


@app.callback(invoke_without_command=True)
def create(
    ctx: typer.Context,
    filename: Filenames = None,
    namespace: Namespace = None,
    dry_run: DryRun = None,
    output: Output = None,
    validate: Validate = "strict",
) -> None:
    """Create resources from a file or from stdin; fails if any already exists.

    Examples:
      mkctl create -f samples/01-pod.yaml
      mkctl create -f samples/01-pod.yaml --dry-run=client -o yaml
      mkctl create namespace shop
      mkctl create job pi --image=perl:5.34 -- perl -Mbignum=bpi -wle 'print bpi(100)'
    """
    if ctx.invoked_subcommand is None:
        apply.create(filename, namespace, dry_run, output, validate)


def _namespace(
    names: Annotated[
        list[str] | None, typer.Argument(help="The name of the new namespace.")
    ] = None,
    dry_run: str = typer.Option(
        "none", "--dry-run", help='"none", "server", or "client": only show what would be made.'
    ),
    output: str = typer.Option("", "--output", "-o", help="Output format: yaml, json or name."),
    validate: Validate = "strict",
) -> None:
    """Create a namespace with the specified name.

    Examples:
      mkctl create namespace shop
      mkctl create ns shop --dry-run=client -o yaml
    """
    name = generated.one_name(names, "namespace")
    output = generated.dry_run_and_output(dry_run, output)
    # The object kubectl's generator sends (struct field order, as `-o json` prints it).
    obj = {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name}, "spec": {}}
    generated.create_generated(obj, "namespace", dry_run, output, validate=validate)


def container_name(image: str) -> str:
    """create_deployment.go buildPodSpec: the image's last path part without tag or digest;
    `_` and `.` become `-` and a random suffix keeps the name unique (sanitizeAndUniquify)."""
    from controlplane.ids import RandomIds

    name = image.split("/")[-1].split(":")[0].split("@")[0]
    if "_" in name or "." in name:
        name = f"{name.replace('_', '-').replace('.', '-')}-{RandomIds().suffix()}"
    return name


def deployment_object(
    name: str, images: list[str], replicas: int, port: int, command: list[str]
) -> Obj:
    """The Deployment kubectl's generator sends, in its struct field order."""
    labels = {"app": name}
    containers = []
    for image in images:
        container: Obj = {"name": container_name(image), "image": image}
        if command:
            container["command"] = list(command)
        containers.append(container)
    if port >= 0:
        containers[0]["ports"] = [{"containerPort": port}]
    for container in containers:
        container["resources"] = {}
    return {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {"name": name, "labels": dict(labels)},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {"containers": containers},
            },
            "strategy": {},
        },
    }


def _deployment(
    args: Annotated[
        list[str] | None,
        typer.Argument(help="NAME, then -- COMMAND [ARGS...] to run in the container."),
    ] = None,
    image: Annotated[
        list[str] | None, typer.Option("--image", help="Image to run (repeat for several).")
    ] = None,
    replicas: int = typer.Option(
        1, "--replicas", "-r", help="Number of replicas.", click_type=INT32
    ),
    port: int = typer.Option(
        -1, "--port", help="The port the first container exposes.", click_type=INT32
    ),
    namespace: Namespace = None,
    dry_run: str = typer.Option(
        "none", "--dry-run", help='"none", "server", or "client": only show what would be made.'
    ),
    output: str = typer.Option("", "--output", "-o", help="Output format: yaml, json or name."),
    validate: Validate = "strict",
) -> None:
    """Create a deployment with the specified name.

    Examples:
      mkctl create deployment web --image=nginx:1.25
      mkctl create deployment web --image=nginx:1.25 --replicas=3 --port=80
      mkctl create deployment web --image=nginx --dry-run=client -o yaml > web.yaml
    """
    if not image:
        raise CliError('required flag(s) "image" not set')
    name = generated.one_name((args or [])[:1], "deployment")
    command = (args or [])[1:]
    output = generated.dry_run_and_output(dry_run, output)
    obj = deployment_object(name, image, replicas, port, command)
    generated.create_generated(
        obj,
        "deployment.apps",
        dry_run,
        output,
        namespace,
        wrap="failed to create deployment: ",
        validate=validate,
    )


app.command("namespace")(_namespace)
app.command("ns", hidden=True)(_namespace)
app.command("deployment")(_deployment)
app.command("deploy", hidden=True)(_deployment)
app.command("job")(create_batch.job)
app.command("cronjob")(create_batch.cronjob)
app.command("cj", hidden=True)(create_batch.cronjob)
app.add_typer(create_service.app, name="service")
app.add_typer(create_service.app, name="svc", hidden=True)

# The generators kept in modules of their own.
create_config.register(app)
