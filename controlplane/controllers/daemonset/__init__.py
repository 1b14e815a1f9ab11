"""The DaemonSet controller: one pod on every node that fits, and ControllerRevision history."""

from controlplane.controllers.daemonset.controller import DaemonSetController
from controlplane.controllers.daemonset.sync import sync_daemon_set

__all__ = ["DaemonSetController", "sync_daemon_set"]
