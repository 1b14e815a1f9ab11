"""`create configmap` and `create secret generic|docker-registry|tls`: the objects kubectl's
generators build, byte for byte (`--dry-run=client -o yaml` prints the same), and their
refusals of bad input, before anything is sent.

Ported from staging/src/k8s.io/kubectl/pkg/cmd/create/create_configmap.go,
create_secret.go, create_secret_docker.go and create_secret_tls.go; `--append-hash` from
staging/src/k8s.io/kubectl/pkg/util/hash/hash.go.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Annotated, Any

import typer

from controlplane.models.constants import Obj
from minikubectl.commands import generated
from minikubectl.commands.create_sources import (
    env_file_sources,
    file_sources,
    literal_source,
)
from minikubectl.commands.options import Namespace, Validate
from minikubectl.errors import CliError

Names = Annotated[list[str] | None, typer.Argument(help="The name of the new object.")]
FromLiteral = Annotated[
    list[str] | None,
    typer.Option("--from-literal", help="A key and literal value to insert (mykey=somevalue)."),
]
FromFile = Annotated[
    list[str] | None,
    typer.Option(
        "--from-file",
        help="[key=]path: a file (keyed by its base name unless a key is given), or a "
        "directory, each of whose regular files becomes a key.",
    ),
]
FromEnvFile = Annotated[
    list[str] | None,
    typer.Option("--from-env-file", help="A file of KEY=value lines (a Docker .env file)."),
]
AppendHash = Annotated[
    bool, typer.Option("--append-hash", help="Append a hash of the content to the name.")
]
DryRunFlag = Annotated[
    str,
    typer.Option("--dry-run", help='"none", "server", or "client": only show what would be made.'),
]
OutputFlag = Annotated[
    str, typer.Option("--output", "-o", help="Output format: yaml, json or name.")
]

secret_app = typer.Typer(no_args_is_help=True)


def content_hash(encoded: dict[str, Any]) -> str:
    """hash.go encodeHash(hash(...)): ten hex digits of the SHA-256, vowel-like ones
    replaced so that no word is spelled."""
    from minikubectl.printers.formats import to_compact_json

    digest = hashlib.sha256(to_compact_json(encoded).encode()).hexdigest()[:10]
    return digest.translate(str.maketrans("013ae", "ghkmt"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _only_env_files(env_files: list[str] | None, *others: list[str] | None) -> None:
    if env_files and any(others):
        raise CliError("from-env-file cannot be combined with from-file or from-literal")


def config_map_object(
    name: str, literals: list[str], files: list[str], env_files: list[str], append_hash: bool
) -> Obj:
    """ConfigMapOptions.createConfigMap: files, then literals, then env files; UTF-8
    content goes to `data`, anything else to `binaryData`."""
    from controlplane.api.validation.config import config_map_key_errors
    from minikubectl.printers.gofmt import go_quote

    data: dict[str, str] = {}
    binary: dict[str, bytes] = {}

    def add(key: str, value: str | bytes) -> None:
        if errs := config_map_key_errors(key):
            raise CliError(
                f"{go_quote(key)} is not a valid key name for a ConfigMap: {','.join(errs)}"
            )
        for field, held in (("Data", data), ("BinaryData", binary)):
            if key in held:
                raise CliError(
                    f"cannot add key {go_quote(key)}, another key by that name already exists "
                    f"in {field} for ConfigMap {go_quote(name)}"
                )
        if isinstance(value, str):
            data[key] = value
        else:
            binary[key] = value

    for key, content in file_sources(files):
        try:
            add(key, content.decode("utf-8"))
        except UnicodeDecodeError:
            add(key, content)
    for literal in literals:
        add(*literal_source(literal))
    env_file_sources(env_files, "config", add)
    if append_hash:
        encoded: dict[str, Any] = {"kind": "ConfigMap", "name": name, "data": data}
        if binary:
            encoded["binaryData"] = {key: _b64(value) for key, value in binary.items()}
        name = f"{name}-{content_hash(encoded)}"
    obj: Obj = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": name}}
    if data:
        obj["data"] = data
    if binary:
        obj["binaryData"] = {key: _b64(value) for key, value in binary.items()}
    return obj


def secret_object(name: str, secret_type: str, data: dict[str, bytes], append_hash: bool) -> Obj:
    """newSecretObj with its data; `--append-hash` hashes kind, name, type and data."""
    encoded = {key: _b64(value) for key, value in data.items()}
    if append_hash:
        hashed = {"kind": "Secret", "type": secret_type, "name": name, "data": encoded}
        name = f"{name}-{content_hash(hashed)}"
    obj: Obj = {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": name}}
    if encoded:
        obj["data"] = encoded
    if secret_type:
        obj["type"] = secret_type
    return obj


class SecretData:
    """The keys of a Secret being built: each checked as addKeyFromLiteralToSecret does."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def add(self, key: str, value: str | bytes) -> None:
        from controlplane.api.validation.config import config_map_key_errors
        from minikubectl.printers.gofmt import go_quote

        if errs := config_map_key_errors(key):
            raise CliError(f"{go_quote(key)} is not valid key name for a Secret {';'.join(errs)}")
        if key in self.data:
            raise CliError(f"cannot add key {key}, another key by that name already exists")
        self.data[key] = value.encode() if isinstance(value, str) else value

    def add_files(self, files: list[str]) -> None:
        for key, content in file_sources(files):
            self.add(key, content)


def _generate(
    names: list[str] | None,
    generator: str,
    flags: tuple[str, str, str | None, str],
    build: Callable[[str], Obj],
    wrap: str = "failed to create secret ",
) -> None:
    """One generator's run, in kubectl's order: the one NAME, the --dry-run and -o flags
    (`flags`: dry run, output, namespace, --validate), then the object built (its own checks)
    and sent."""
    dry_run, output, namespace, validate = flags
    name = generated.one_name(names, generator)
    output = generated.dry_run_and_output(dry_run, output)
    obj = build(name)
    kind = obj["kind"].lower()
    generated.create_generated(obj, kind, dry_run, output, namespace, wrap=wrap, validate=validate)


def configmap(
    names: Names = None,
    from_literal: FromLiteral = None,
    from_file: FromFile = None,
    from_env_file: FromEnvFile = None,
    append_hash: AppendHash = False,
    namespace: Namespace = None,
    dry_run: DryRunFlag = "none",
    output: OutputFlag = "",
    validate: Validate = "strict",
) -> None:
    """Create a config map from files, directories or literal values.

    Examples:
      mkctl create configmap web-config --from-literal=GREETING=hello --from-literal=MODE=dev
      mkctl create configmap nginx-conf --from-file=nginx.conf --from-file=site=conf.d/site.conf
      mkctl create configmap settings --from-env-file=settings.env
      mkctl create cm web-config --from-literal=a=b --dry-run=client -o yaml > cm.yaml
    """

    def build(name: str) -> Obj:
        _only_env_files(from_env_file, from_file, from_literal)
        literals, files, env_files = from_literal or [], from_file or [], from_env_file or []
        return config_map_object(name, literals, files, env_files, append_hash)

    flags = (dry_run, output, namespace, validate)
    _generate(names, "configmap", flags, build, "failed to create configmap: ")


def generic(
    names: Names = None,
    from_literal: FromLiteral = None,
    from_file: FromFile = None,
    from_env_file: FromEnvFile = None,
    secret_type: Annotated[str, typer.Option("--type", help="The type of secret to create.")] = "",
    append_hash: AppendHash = False,
    namespace: Namespace = None,
    dry_run: DryRunFlag = "none",
    output: OutputFlag = "",
    validate: Validate = "strict",
) -> None:
    """Create a secret from files, directories or literal values (type Opaque by default).

    Examples:
      mkctl create secret generic db-pass --from-literal=user=admin --from-literal=pass=s3cret
      mkctl create secret generic ssh-key --from-file=ssh-privatekey=id_rsa
      mkctl create secret generic app-env --from-env-file=app.env
      mkctl create secret generic db-pass --from-literal=p=x --dry-run=client -o yaml
    """

    def build(name: str) -> Obj:
        _only_env_files(from_env_file, from_file, from_literal)
        data = SecretData()
        for literal in from_literal or []:
            data.add(*literal_source(literal))
        data.add_files(from_file or [])
        env_file_sources(from_env_file or [], "secret", data.add)
        return secret_object(name, secret_type, data.data, append_hash)

    flags = (dry_run, output, namespace, validate)
    _generate(names, "secret generic", flags, build, "failed to create secret: ")


DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson"


def docker_config_json(username: str, password: str, email: str, server: str) -> bytes:
    """handleDockerCfgJSONContent: a ~/.docker/config.json holding one registry's login."""
    entry = {"username": username, "password": password, "email": email}
    entry["auth"] = _b64(f"{username}:{password}".encode())
    # DockerConfigEntry's field order, empty fields omitted (omitempty).
    from minikubectl.printers.formats import to_compact_json

    fields = [f'"{key}":{to_compact_json(value)}' for key, value in entry.items() if value]
    return f'{{"auths":{{{to_compact_json(server)}:{{{",".join(fields)}}}}}}}'.encode()


def docker_registry(
    names: Names = None,
    docker_username: Annotated[
        str, typer.Option("--docker-username", help="Username for the registry.")
    ] = "",
    docker_password: Annotated[
        str, typer.Option("--docker-password", help="Password for the registry.")
    ] = "",
    docker_email: Annotated[
        str, typer.Option("--docker-email", help="Email for the registry.")
    ] = "",
    docker_server: Annotated[
        str, typer.Option("--docker-server", help="Server location of the registry.")
    ] = "https://index.docker.io/v1/",
    from_file: FromFile = None,
    append_hash: AppendHash = False,
    namespace: Namespace = None,
    dry_run: DryRunFlag = "none",
    output: OutputFlag = "",
    validate: Validate = "strict",
) -> None:
    """Create a secret for pulling images from a registry (kubernetes.io/dockerconfigjson).

    Examples:
      mkctl create secret docker-registry regcred --docker-username=me --docker-password=pw
      mkctl create secret docker-registry regcred --docker-server=registry.example.com \\
        --docker-username=me --docker-password=pw --docker-email=me@example.com
      mkctl create secret docker-registry regcred --from-file=.dockerconfigjson=config.json
    """

    def build(name: str) -> Obj:
        if not from_file and not (docker_username and docker_password and docker_server):
            raise CliError(
                "either --from-file or the combination of --docker-username, --docker-password "
                "and --docker-server is required"
            )
        data = SecretData()
        if from_file:
            data.add_files(from_file)
        else:
            data.data[".dockerconfigjson"] = docker_config_json(
                docker_username, docker_password, docker_email, docker_server
            )
        return secret_object(name, DOCKER_CONFIG_JSON, data.data, append_hash)

    _generate(names, "secret docker-registry", (dry_run, output, namespace, validate), build)


_PEM_BLOCK = re.compile(rb"-----BEGIN ([^-\r\n]*)-----\r?\n.*?-----END \1-----", re.DOTALL)


def check_key_pair(cert: bytes, key: bytes) -> None:
    """crypto/tls X509KeyPair's first checks: the certificate input holds a CERTIFICATE PEM
    block and the key input a `... PRIVATE KEY` block. mkctl does not parse the DER inside,
    so a key that does not match its certificate is not caught."""
    cert_types = [m.group(1).decode() for m in _PEM_BLOCK.finditer(cert)]
    if not cert_types:
        raise CliError("tls: failed to find any PEM data in certificate input")
    if "CERTIFICATE" not in cert_types:
        if any(kind.endswith("PRIVATE KEY") for kind in cert_types):
            raise CliError(
                "tls: failed to find certificate PEM data in certificate input, but did find "
                "a private key; PEM inputs may have been switched"
            )
        raise CliError(
            'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping '
            f"PEM blocks of the following types: [{' '.join(cert_types)}]"
        )
    key_types = [m.group(1).decode() for m in _PEM_BLOCK.finditer(key)]
    if not key_types:
        raise CliError("tls: failed to find any PEM data in key input")
    if not any(kind == "PRIVATE KEY" or kind.endswith(" PRIVATE KEY") for kind in key_types):
        if all(kind == "CERTIFICATE" for kind in key_types):
            raise CliError(
                "tls: found a certificate rather than a key in the PEM for the private key"
            )
        raise CliError(
            'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input '
            f"after skipping PEM blocks of the following types: [{' '.join(key_types)}]"
        )


def _read_pem(path: str) -> bytes:
    """create_secret_tls.go readFile."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise CliError(f"Cannot read file {path}, open {path}: {reason}") from exc


def tls(
    names: Names = None,
    cert: Annotated[str, typer.Option("--cert", help="Path to a PEM certificate.")] = "",
    key: Annotated[str, typer.Option("--key", help="Path to the PEM private key.")] = "",
    append_hash: AppendHash = False,
    namespace: Namespace = None,
    dry_run: DryRunFlag = "none",
    output: OutputFlag = "",
    validate: Validate = "strict",
) -> None:
    """Create a TLS secret from a certificate and its private key (kubernetes.io/tls).

    Examples:
      mkctl create secret tls web-tls --cert=tls.crt --key=tls.key
    """

    def build(name: str) -> Obj:
        if not cert or not key:
            raise CliError("key and cert must be specified")
        cert_pem, key_pem = _read_pem(cert), _read_pem(key)
        check_key_pair(cert_pem, key_pem)
        data = {"tls.crt": cert_pem, "tls.key": key_pem}
        return secret_object(name, "kubernetes.io/tls", data, append_hash)

    _generate(names, "secret tls", (dry_run, output, namespace, validate), build)


@secret_app.callback()
def secret() -> None:
    """Create a secret: docker-registry, generic or tls.

    Examples:
      mkctl create secret generic db-pass --from-literal=password=s3cret
      mkctl create secret tls web-tls --cert=tls.crt --key=tls.key
    """


secret_app.command("docker-registry")(docker_registry)
secret_app.command("generic")(generic)
secret_app.command("tls")(tls)


def register(app: typer.Typer) -> None:
    """Add `configmap` (alias `cm`) and `secret` to the `create` group."""
    app.command("configmap")(configmap)
    app.command("cm", hidden=True)(configmap)
    app.add_typer(secret_app, name="secret")
