"""The scaler as it runs for real: the official Python client against mkctl's API server."""

import os
import subprocess
import sys
import time
from pathlib import Path

import scaler
from kubernetes import client, config, utils

from minikubectl.testing import ApiServer

APP = Path(__file__).with_name("app.yaml")


def eventually(predicate, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while not (value := predicate()):
        assert time.monotonic() < deadline, "not reached in time"
        time.sleep(0.1)
    return value


def test_the_scaler_scales_through_the_api_server(mkctl_api_server: ApiServer) -> None:
    api_client = config.new_client_from_config(config_file=str(mkctl_api_server.kubeconfig))
    utils.create_from_yaml(api_client, str(APP))

    assert scaler.reconcile(api_client) == {"spec": {"replicas": 5}}

    apps = client.AppsV1Api(api_client)
    eventually(lambda: apps.read_namespaced_deployment("web", "default").status.ready_replicas == 5)
    assert scaler.reconcile(api_client) is None
    listed = subprocess.run(
        [sys.executable, "-m", "minikubectl", "get", "deployment", "web"],
        env={**os.environ, **mkctl_api_server.env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.split("\n")[1].split()[:2] == ["web", "5/5"]
