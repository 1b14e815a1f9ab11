"""Images: references as the runtime reports them, what each node holds, and the pull messages.

Each node lists its images in `status.images`, as a real kubelet reports them (names: digest
and tag references; sizeBytes; largest first, at most 50, pkg/kubelet/nodestatus/setters.go
Images). A pod whose image is already on its node starts without pulling (`Container image
"nginx:1.14.2" already present on machine`); the first pod of an image on a node pulls it
(`Pulling image`, `Successfully pulled image ... Image size: N bytes.`), and the node keeps it.

The pull events' texts are in messages.py.
"""

from __future__ import annotations

import copy
import hashlib
import zlib
from collections.abc import Mapping

from controlplane.models.constants import Obj

MAX_NODE_IMAGES = 50  # the kubelet's nodeStatusMaxImages default


def full_image_reference(image: str) -> str:
    """What the container runtime reports: `nginx:1.14.2` -> `docker.io/library/nginx:1.14.2`."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" not in last and not digest:
        name += ":latest"
    first = name.split("/", 1)[0]
    if "/" not in name:
        name = f"docker.io/library/{name}"
    elif "." not in first and ":" not in first and first != "localhost":
        name = f"docker.io/{name}"
    return f"{name}@{digest}" if digest else name


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def image_id(image: str) -> str:
    repository = full_image_reference(image).split("@")[0].rsplit(":", 1)[0]
    return f"{repository}@sha256:{digest_of(image)}"


def image_size(image: str) -> int:
    """A plausible, stable image size in bytes."""
    return 20_000_000 + zlib.crc32(image.encode()) % 60_000_000


# --- what each node holds -----------------------------------------------------------------


class NodeImages:
    """Every node's image list during one kubelet pass, with the images pulled in it."""

    def __init__(self, nodes: Mapping[str, Obj]) -> None:
        self._nodes = nodes
        self._present: dict[str, set[str]] = {}
        self._pulled: dict[str, list[str]] = {}

    def present(self, node: str, image: str) -> bool:
        if node not in self._present:
            listed = (self._nodes.get(node) or {}).get("status", {}).get("images") or []
            self._present[node] = {name for entry in listed for name in entry.get("names") or []}
        return full_image_reference(image) in self._present[node]

    def add(self, node: str, image: str) -> None:
        if not self.present(node, image):
            self._present[node].add(full_image_reference(image))
            self._pulled.setdefault(node, []).append(image)

    def updated_nodes(self) -> list[Obj]:
        """Copies of the nodes whose `status.images` gained an image in this pass."""
        updated = []
        for name, images in self._pulled.items():
            if name not in self._nodes:
                continue
            node = copy.deepcopy(self._nodes[name])
            listed = node.setdefault("status", {}).setdefault("images", [])
            listed += [
                {"names": [image_id(i), full_image_reference(i)], "sizeBytes": image_size(i)}
                for i in images
            ]
            listed.sort(key=lambda entry: -int(entry.get("sizeBytes") or 0))
            del listed[MAX_NODE_IMAGES:]
            updated.append(node)
        return updated
