"""The controllers that keep a Service's endpoints: Endpoints (`endpoints`) and
EndpointSlices (`endpointslice`), from the pods its selector matches (`util`)."""

from controlplane.controllers.endpoint.endpoints import EndpointsController
from controlplane.controllers.endpoint.endpointslice import EndpointSliceController

__all__ = ["EndpointSliceController", "EndpointsController"]
