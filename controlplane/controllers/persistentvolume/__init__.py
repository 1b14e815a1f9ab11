"""The PersistentVolume binder, mkctl's simulated provisioner, and the protection of claims
and volumes in use."""

from controlplane.controllers.persistentvolume.controller import PersistentVolumeController
from controlplane.controllers.persistentvolume.protection import StorageProtectionController

__all__ = ["PersistentVolumeController", "StorageProtectionController"]
