"""`create job` and `create cronjob`, as kubectl's generators make them
(staging/src/k8s.io/kubectl/pkg/cmd/create/create_job.go and create_cronjob.go).

The objects are built in kubectl's struct field order, so `--dry-run=client -o json` prints
byte for byte what kubectl prints (and `-o yaml` sorts the keys as kubectl does). `-n` puts
the namespace in the object, as kubectl's EnforceNamespace does. `create job --from=cronjob/X`
copies the CronJob's job template, marked `cronjob.kubernetes.io/instantiate: manual` and
controlled by the CronJob, which is how a scheduled Job is run by hand.
"""

from __future__ import annotations

from typing import Annotated

import typer

from controlplane.models.constants import Obj
from minikubectl.commands.options import Namespace, Validate
from minikubectl.errors import CliError

INSTANTIATE_ANNOTATION = "cronjob.kubernetes.io/instantiate"

Args = Annotated[
    list[str] | None,
    typer.Argument(help="NAME, then -- COMMAND [ARGS...] to run in the container."),
]
DryRunOption = Annotated[
    str,
    typer.Option("--dry-run", help='"none", "server", or "client": only show what would be made.'),
]
OutputOption = Annotated[
    str, typer.Option("--output", "-o", help="Output format: yaml, json or name.")
]


def _meta(name: str, namespace: str | None) -> Obj:
    return {"name": name, **({"namespace": namespace} if namespace else {})}


def _container(name: str, image: str, command: list[str]) -> Obj:
    container: Obj = {"name": name, "image": image}
    if command:
        container["command"] = list(command)
    container["resources"] = {}
    return container


def job_object(name: str, image: str, command: list[str], namespace: str | None) -> Obj:
    """createJob: one container named after the Job, restartPolicy Never."""
    return {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": _meta(name, namespace),
        "spec": {
            "template": {
                "metadata": {},
                "spec": {
                    "containers": [_container(name, image, command)],
                    "restartPolicy": "Never",
                },
            }
        },
    }


def job_from_cronjob(name: str, cronjob: Obj, namespace: str | None) -> Obj:
    """createJobFromCronJob: the CronJob's job template, run by hand."""
    template = (cronjob.get("spec") or {}).get("jobTemplate") or {}
    template_meta = template.get("metadata") or {}
    meta = _meta(name, namespace)
    if template_meta.get("labels"):
        meta["labels"] = dict(template_meta["labels"])
    meta["annotations"] = {
        INSTANTIATE_ANNOTATION: "manual",
        **(template_meta.get("annotations") or {}),
    }
    meta["ownerReferences"] = [
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cronjob["metadata"]["name"],
            "uid": cronjob["metadata"]["uid"],
            "controller": True,
        }
    ]
    return {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": meta,
        "spec": template.get("spec") or {},
    }


def cronjob_object(
    name: str, image: str, schedule: str, restart: str, command: list[str], namespace: str | None
) -> Obj:
    """createCronJob: the job template named after the CronJob, restartPolicy OnFailure unless
    --restart says otherwise."""
    return {
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": _meta(name, namespace),
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "metadata": {"name": name},
                "spec": {
                    "template": {
                        "metadata": {},
                        "spec": {
                            "containers": [_container(name, image, command)],
                            "restartPolicy": restart or "OnFailure",
                        },
                    }
                },
            },
        },
    }


def job(
    args: Args = None,
    image: str = typer.Option("", "--image", help="Image name to run."),
    from_: str = typer.Option(
        "",
        "--from",
        help="The name of the resource to create a Job from (only cronjob is supported).",
    ),
    namespace: Namespace = None,
    dry_run: DryRunOption = "none",
    output: OutputOption = "",
    validate: Validate = "strict",
) -> None:
    """Create a job with the specified name.

    Examples:
      mkctl create job my-job --image=busybox
      mkctl create job my-job --image=busybox -- date        # with a command
      mkctl create job test-job --from=cronjob/a-cronjob     # run a cron job's template now
      mkctl create job pi --image=perl:5.34 --dry-run=client -o yaml > pi.yaml
    """
    from minikubectl.commands import generated

    name = generated.one_name((args or [])[:1], "job")
    command = (args or [])[1:]
    output = generated.dry_run_and_output(dry_run, output)
    if bool(image) == bool(from_):
        raise CliError("either --image or --from must be specified")
    if command and from_:
        raise CliError("cannot specify --from and command")
    if from_:
        obj = job_from_cronjob(name, _source_cronjob(from_, namespace), namespace)
    else:
        obj = job_object(name, image, command, namespace)
    generated.create_generated(
        obj,
        "job.batch",
        dry_run,
        output,
        namespace,
        wrap="failed to create job: ",
        validate=validate,
    )


def _source_cronjob(source: str, namespace: str | None) -> Obj:
    """The CronJob `--from=cronjob/NAME` names (any of its type's names), read from the
    cluster even for a client dry run, as kubectl reads it."""
    from minikubectl.client import Client
    from minikubectl.resources import single_target

    info, name = single_target([source])
    if info.kind != "CronJob":
        raise CliError(f"unknown object type *v1.{info.kind}")
    return Client(namespace).get(info, name)


def cronjob(
    args: Args = None,
    image: str = typer.Option("", "--image", help="Image name to run."),
    schedule: str = typer.Option(
        "", "--schedule", help="A schedule in the Cron format the job should be run with."
    ),
    restart: str = typer.Option(
        "", "--restart", help="job's restart policy. supported values: OnFailure, Never"
    ),
    namespace: Namespace = None,
    dry_run: DryRunOption = "none",
    output: OutputOption = "",
    validate: Validate = "strict",
) -> None:
    """Create a cron job with the specified name.

    Examples:
      mkctl create cronjob my-job --image=busybox --schedule="*/1 * * * *"
      mkctl create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date
      mkctl create cronjob nightly --image=busybox --schedule=@daily --restart=Never
    """
    from minikubectl.commands import generated

    missing = [
        f'"{flag}"' for flag, value in (("image", image), ("schedule", schedule)) if not value
    ]
    if missing:
        raise CliError(f"required flag(s) {', '.join(missing)} not set")
    name = generated.one_name((args or [])[:1], "cronjob")
    output = generated.dry_run_and_output(dry_run, output)
    obj = cronjob_object(name, image, schedule, restart, (args or [])[1:], namespace)
    generated.create_generated(
        obj,
        "cronjob.batch",
        dry_run,
        output,
        namespace,
        wrap="failed to create cronjob: ",
        validate=validate,
    )
