"""The fake kubelet: pod lifecycle as a table of stages, applied per pod on the clock."""

from controlplane.kubelet.kubelet import Kubelet

__all__ = ["Kubelet"]
