"""The Deployment controller: Deployments -> ReplicaSets, after pkg/controller/deployment."""

from controlplane.controllers.deployment.controller import DeploymentController, sync_deployment

__all__ = ["DeploymentController", "sync_deployment"]
