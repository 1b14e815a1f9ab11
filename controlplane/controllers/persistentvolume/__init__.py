"""The PersistentVolume binder and mkctl's simulated provisioner."""

from controlplane.controllers.persistentvolume.controller import PersistentVolumeController

__all__ = ["PersistentVolumeController"]
