"""Image references as the runtime reports them, and each node's list of pulled images."""

from __future__ import annotations

import json

import pytest

from controlplane.kubelet.images import (
    NodeImages,
    full_image_reference,
    invalid_image_name,
)


@pytest.mark.parametrize(
    ("image", "reference"),
    [
        ("nginx", "docker.io/library/nginx:latest"),
        ("nginx:1.14.2", "docker.io/library/nginx:1.14.2"),
        ("bitnami/redis:7", "docker.io/bitnami/redis:7"),
        ("registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("nginx@sha256:" + "a" * 64, "docker.io/library/nginx@sha256:" + "a" * 64),
    ],
)
def test_full_image_reference(image: str, reference: str) -> None:
    assert full_image_reference(image) == reference


def test_a_node_lists_pulled_images_largest_first_and_at_most_fifty() -> None:
    node = {"metadata": {"name": "node-1"}, "status": {}}
    book = NodeImages({"node-1": node})
    images = [f"app:{i}" for i in range(60)]
    for i, image in enumerate(images):
        book.add("node-1", image, 1_000_000 + i)
    assert book.present("node-1", "app:7") and not book.present("node-1", "app:60")
    (updated,) = book.updated_nodes()
    listed = updated["status"]["images"]
    sizes = [entry["sizeBytes"] for entry in listed]
    assert len(listed) == 50 and sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 1_000_059
    assert listed[0]["names"][1].startswith("docker.io/library/app:")
    assert listed[0]["names"][0].startswith("docker.io/library/app@sha256:")
    assert node["status"] == {}  # the node read from the store is left as it was


def test_an_image_the_node_already_lists_is_present_and_not_added_again() -> None:
    node = {
        "metadata": {"name": "node-1"},
        "status": {"images": [{"names": ["docker.io/library/nginx:1.14.2"], "sizeBytes": 1}]},
    }
    book = NodeImages({"node-1": node})
    assert book.present("node-1", "nginx:1.14.2")
    book.add("node-1", "nginx:1.14.2", 44_389_233)
    assert book.updated_nodes() == []


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.14.2",
        "bitnami/redis:7",
        "registry.k8s.io/pause:3.9",
        "localhost:5000/app",
        "MyRegistry.io/app:v1",  # an upper-case domain is fine
        "nginx@sha256:" + "a" * 64,
        "nginx:1.14.2@sha512:" + "0" * 128,
    ],
)
def test_a_valid_image_name_is_accepted(image: str) -> None:
    assert invalid_image_name(image) is None


@pytest.mark.parametrize(
    ("image", "why"),
    [
        ("nginx latest", "invalid reference format"),
        ("nginx\nlatest", "invalid reference format"),
        ("nginx:", "invalid reference format"),
        ("Nginx:1.25", "invalid reference format: repository name (Nginx) must be lowercase"),
        ("nginx@sha256:" + "a" * 40, "invalid checksum digest length"),
        ("nginx@sha256:" + "A" * 64, "invalid checksum digest format"),
        ("nginx@md5:" + "a" * 32, "unsupported digest algorithm"),
        ("nginx@sha256:abc", "invalid reference format"),
        (
            "a" * 64,
            f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal strings",
        ),
    ],
)
def test_an_image_name_that_does_not_parse_is_refused_as_the_kubelet_does(
    image: str, why: str
) -> None:
    quoted = json.dumps(image)
    assert invalid_image_name(image) == (
        f"Failed to apply default image tag {quoted}: couldn't parse image name {quoted}: {why}"
    )
