"""mkctl: a kubectl-like command line over a local, fake Kubernetes control plane."""

__version__ = "0.1.0"

# The environment variable by which mkctl's shell completion scripts ask for candidates
# (click's shell_completion): set, `mkctl` answers the shell instead of running a command.
COMPLETE_VAR = "_MKCTL_COMPLETE"
