"""`apply -f` and `create -f`: send manifests, all of them or none."""

from __future__ import annotations

from minikubectl.client import Client
from minikubectl.commands.options import Filenames, Namespace, err, out
from minikubectl.errors import CliError
from minikubectl.manifests import read_manifests


def apply(filename: Filenames = None, namespace: Namespace = None) -> None:
    """Apply a configuration to a resource by file name or stdin.

    Creates what does not exist yet and updates what does, with a three-way merge against
    the last-applied configuration, so fields you removed from the file are removed and
    fields others set (like replicas changed by `mkctl scale`) are restored from the file.

    Examples:
      mkctl apply -f samples/02-deployment.yaml
      mkctl apply -f samples/
      cat pod.yaml | mkctl apply -f -
    """
    manifests = read_manifests(filename or [])
    if not manifests:
        raise CliError("no objects passed to apply")
    client = Client(namespace)
    outcomes = client.apply(manifests)
    for warning in client.warnings:
        err(warning)
    client.settle()
    out("".join(f"{o}\n" for o in outcomes))


def create(filename: Filenames = None, namespace: Namespace = None) -> None:
    """Create resources from a file or from stdin; fails if any already exists.

    Examples:
      mkctl create -f samples/01-pod.yaml
    """
    manifests = read_manifests(filename or [])
    if not manifests:
        raise CliError("no objects passed to create")
    client = Client(namespace)
    outcomes = client.create(manifests)
    client.settle()
    out("".join(f"{o}\n" for o in outcomes))
