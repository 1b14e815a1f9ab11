"""mkctl: a kubectl-like command line over a local, fake Kubernetes control plane."""

__version__ = "0.1.0"
