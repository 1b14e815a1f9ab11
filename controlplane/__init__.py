"""mkctl's fake Kubernetes control plane: store, API machinery, controllers, scheduler, kubelet."""
