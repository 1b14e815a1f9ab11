"""The simulated registry: the shipped catalogue, tag patterns, sizes, and users' additions."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from controlplane.kubelet.registry import Registry, Resolved, parse_catalogue, tag_pattern


@pytest.mark.parametrize(
    "image",
    [
        "nginx:1.14.2",
        "nginx:1.16.1",
        "nginx:1.25",
        "nginx:1.27.3-alpine",
        "nginx:1.29.0",
        "nginx",
        "nginx:latest",
        "nginx:alpine",
        "docker.io/library/nginx:1.17",
        "busybox:1.28",
        "busybox:1.36.1",
        "httpd:2.4.38-alpine",
        "redis:7",
        "postgres:16",
        "mysql:5.7",
        "memcached:1.6.21-alpine",
        "alpine:3.20",
        "ubuntu:22.04",
        "python:3.12-slim",
        "node:20-alpine",
        "registry.k8s.io/nginx-slim:0.8",
        "registry.k8s.io/pause:3.10",
        "quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
        "registry.k8s.io/coredns/coredns:v1.11.1",
    ],
)
def test_the_tags_tutorials_use_pull(image: str) -> None:
    assert Registry().resolve(image).found


@pytest.mark.parametrize(
    "image",
    ["nginx:1.161", "nginx:1.14-alpine-slim", "busybox:2.0", "registry.k8s.io/pause:9.9"],
)
def test_a_known_repository_lacks_an_unknown_tag(image: str) -> None:
    assert Registry().resolve(image) == Resolved(False, 0)


def test_an_unknown_repository_may_exist_and_pulls_with_a_steady_size() -> None:
    registry = Registry()
    web = registry.resolve("web:v2")
    assert web.found and 20_000_000 <= web.size < 80_000_000
    assert registry.resolve("web:v2") == web
    assert registry.resolve("ghcr.io/example/app:1.0").found


def test_a_digest_pulls_from_a_known_repository_at_its_latest_size() -> None:
    registry = Registry()
    digest = "nginx@sha256:" + "a" * 64
    assert registry.resolve(digest).found
    assert abs(registry.resolve(digest).size - 72_000_000) <= 72_000_000 * 0.03


def test_sizes_are_exact_for_one_tag_and_near_the_pattern_for_many() -> None:
    registry = Registry()
    assert registry.resolve("nginx:1.14.2").size == 44_389_233
    alpine = [registry.resolve(f"nginx:1.27.{n}-alpine").size for n in range(6)]
    assert all(abs(size - 21_000_000) <= 21_000_000 * 0.03 for size in alpine)
    assert len(set(alpine)) > 1  # each tag its own size
    assert registry.resolve("registry.k8s.io/pause:3.9").size < 400_000


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        ("1.{25..27}{,-alpine}", ["1.25", "1.26-alpine", "1.27"], ["1.24", "1.28", "1.25-"]),
        ("{a,b{1,2}}", ["a", "b1", "b2"], ["b", "ab"]),
        ("v1.2.3", ["v1.2.3"], ["v1x2.3"]),  # a dot is a dot
        ("{3..1}", ["1", "2", "3"], ["0", "4"]),
    ],
)
def test_tag_patterns_expand_as_shell_braces(
    pattern: str, matches: list[str], misses: list[str]
) -> None:
    compiled = tag_pattern(pattern)
    assert all(compiled.fullmatch(tag) for tag in matches)
    assert not any(compiled.fullmatch(tag) for tag in misses)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ([], "must be a JSON object of repositories"),
        ({"app": ["v1"]}, "app: must map tag patterns to sizes in bytes"),
        ({"app": {"v1": "big"}}, "app: v1: the size must be a number of bytes"),
        ({"app": {"v1": True}}, "app: v1: the size must be a number of bytes"),
        ({"app": {"v{1": 5}}, "unbalanced braces"),
        ({"app": {"v1}": 5}}, "unbalanced braces"),
        ({"app": {"{0..5000}": 5}}, "a range of more than 1000"),
        ({"nginx:1.2": {"v1": 5}}, "nginx:1.2: not a repository name"),
        ({"Nginx": {"v1": 5}}, "Nginx: not a repository name"),
        ({"nginx@sha256:" + "a" * 64: {"v1": 5}}, "not a repository name"),
    ],
)
def test_a_bad_catalogue_is_refused_with_its_reason(data: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_catalogue(data, "images.json")


def test_a_user_file_adds_tags_and_repositories_and_is_read_again_when_changed(
    tmp_path: Path,
) -> None:
    user = tmp_path / "images.json"
    registry = Registry(user)
    assert not registry.resolve("nginx:1.161").found  # no file yet: the shipped catalogue
    user.write_text(json.dumps({"nginx": {"1.161": 1000}, "example.com/team/app": {"v1": 5}}))
    assert not registry.resolve("nginx:1.161").found  # until the kubelet's next pass
    registry.refresh()
    assert registry.resolve("nginx:1.161") == Resolved(True, 1000)
    assert registry.resolve("nginx:1.14.2").size == 44_389_233  # the shipped tags remain
    assert registry.resolve("example.com/team/app:v1") == Resolved(True, 5)
    assert not registry.resolve("example.com/team/app:v2").found  # now a known repository
    user.write_text(json.dumps({"nginx": {"1.162": 1000}}))
    os.utime(user, ns=(1, 1))  # a new modification time, however fast the test runs
    registry.refresh()
    assert not registry.resolve("nginx:1.161").found
    assert registry.resolve("nginx:1.162").found


def test_a_user_file_that_does_not_parse_is_left_out_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    user = tmp_path / "images.json"
    user.write_text("{not json")
    with caplog.at_level(logging.WARNING):
        assert not Registry(user).resolve("nginx:1.161").found
    assert f"ignoring the image catalogue {user}" in caplog.text


def test_the_image_of_kube_systems_coredns_pulls() -> None:
    """A new cluster's CoreDNS pods must come up Running, not in ImagePullBackOff."""
    from controlplane.models import coredns

    assert Registry().resolve(coredns.IMAGE).found
