"""The StatefulSet controller: ordered, stably named pods and ControllerRevision history."""

from controlplane.controllers.statefulset.control import sync_stateful_set
from controlplane.controllers.statefulset.controller import StatefulSetController

__all__ = ["StatefulSetController", "sync_stateful_set"]
