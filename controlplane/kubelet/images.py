"""Images: references as the runtime reports them, what each node holds, and the pull messages.

Each node lists its images in `status.images`, as a real kubelet reports them (names: digest
and tag references; sizeBytes; largest first, at most 50, pkg/kubelet/nodestatus/setters.go
Images). A pod whose image is already on its node starts without pulling (`Container image
"nginx:1.14.2" already present on machine`); the first pod of an image on a node pulls it
(`Pulling image`, `Successfully pulled image ... Image size: N bytes.`), and the node keeps it.

Which images exist, and their sizes, is the simulated registry's (registry.py); the pull
events' texts are in messages.py.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
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


# The reference grammar of github.com/distribution/reference (regexp.go), anchored.
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_REFERENCE = re.compile(
    rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?"
)
_HEX_ID = re.compile(r"[a-f0-9]{64}")


def is_image_reference(image: str) -> bool:
    """reference.ReferenceRegexp.MatchString: what `kubectl run --image` accepts."""
    return _REFERENCE.fullmatch(image) is not None


def invalid_image_name(image: str) -> str | None:
    """Why the kubelet refuses `image` as InvalidImageName, or None: EnsureImageExists's
    applyDefaultImageTag (pkg/kubelet/images/image_manager.go) parses it with
    reference.ParseNormalizedNamed, whose errors this repeats (a space or newline anywhere,
    an upper-case repository ...)."""
    why = _normalized_name_error(image)
    if why is None:
        return None
    quoted = json.dumps(image, ensure_ascii=False)  # Go's %q, for the characters that matter
    return f"Failed to apply default image tag {quoted}: couldn't parse image name {quoted}: {why}"


def _normalized_name_error(image: str) -> str | None:
    if _HEX_ID.fullmatch(image):
        return f"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"
    first, slash, rest = image.partition("/")
    has_domain = slash and (
        any(c in first for c in ".:") or first == "localhost" or first != first.lower()
    )
    remainder = rest if has_domain else image
    remote_name = remainder.split(":", 1)[0]
    if remote_name.lower() != remote_name:
        return f"invalid reference format: repository name ({remote_name}) must be lowercase"
    if not _REFERENCE.fullmatch(image):
        return "invalid reference format"
    _, at, digest = image.partition("@")
    return _digest_error(digest) if at else None


# Hex lengths of the algorithms the kubelet links in (github.com/opencontainers/go-digest).
_DIGEST_HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}


def _digest_error(digest: str) -> str | None:
    """go-digest's Digest.Validate: a known algorithm with its exact length of lower-case hex.

    `nginx@sha256:abc` (short of 32 characters) already failed the reference grammar;
    `nginx@sha256:` and 40 hex characters fails here, as `invalid checksum digest length`.
    """
    algorithm, _, encoded = digest.partition(":")
    length = _DIGEST_HEX_LENGTHS.get(algorithm)
    if length is None:
        return "unsupported digest algorithm"
    if len(encoded) != length:
        return "invalid checksum digest length"
    if not re.fullmatch(r"[a-f0-9]+", encoded):
        return "invalid checksum digest format"
    return None


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def image_id(image: str) -> str:
    repository = full_image_reference(image).split("@")[0].rsplit(":", 1)[0]
    return f"{repository}@sha256:{digest_of(image)}"


# --- what each node holds -----------------------------------------------------------------


class NodeImages:
    """Every node's image list during one kubelet pass, with the images pulled in it."""

    def __init__(self, nodes: Mapping[str, Obj]) -> None:
        self._nodes = nodes
        self._present: dict[str, set[str]] = {}
        self._pulled: dict[str, list[tuple[str, int]]] = {}

    def present(self, node: str, image: str) -> bool:
        if node not in self._present:
            listed = (self._nodes.get(node) or {}).get("status", {}).get("images") or []
            self._present[node] = {name for entry in listed for name in entry.get("names") or []}
        return full_image_reference(image) in self._present[node]

    def add(self, node: str, image: str, size: int) -> None:
        if not self.present(node, image):
            self._present[node].add(full_image_reference(image))
            self._pulled.setdefault(node, []).append((image, size))

    def updated_nodes(self) -> list[Obj]:
        """Copies of the nodes whose `status.images` gained an image in this pass."""
        updated = []
        for name, images in self._pulled.items():
            if name not in self._nodes:
                continue
            node = copy.deepcopy(self._nodes[name])
            listed = node.setdefault("status", {}).setdefault("images", [])
            listed += [
                {"names": [image_id(i), full_image_reference(i)], "sizeBytes": size}
                for i, size in images
            ]
            listed.sort(key=lambda entry: -int(entry.get("sizeBytes") or 0))
            del listed[MAX_NODE_IMAGES:]
            updated.append(node)
        return updated
