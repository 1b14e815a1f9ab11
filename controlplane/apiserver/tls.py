"""TLS for real clients: kubectl sends a kubeconfig's bearer token only over https.

client-go reads a user's credentials only when the transport is TLS
(staging/src/k8s.io/client-go/tools/clientcmd/client_config.go, `ClientConfig`: "only try to
read the auth information if we are secure"), so a token in a kubeconfig whose server is
`http://` is never sent. `cluster start` therefore makes a self-signed certificate for
127.0.0.1, ::1 and localhost with the `openssl` tool, and the daemon serves TLS and plain
HTTP on its one port, told apart by the first byte a client sends (a TLS handshake starts
with 0x16, an HTTP request with a letter). mkctl's own client speaks plain HTTP on loopback,
where no other user can read the traffic, and proves the server with `auth`'s challenge
instead of a certificate: importing `ssl` would cost every command ~20 ms.

Without `openssl` the daemon serves plain HTTP only and the kubeconfig says so.
"""

from __future__ import annotations

import base64
import shutil
import ssl
import subprocess
from pathlib import Path

CERTIFICATE = "apiserver.crt"
KEY = "apiserver.key"
HANDSHAKE = 0x16  # TLS record type of a ClientHello


def make_certificate(where: Path) -> bool:
    """A new key and self-signed certificate in `where` (0600); False without `openssl`."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return False
    for name in (CERTIFICATE, KEY):
        (where / name).unlink(missing_ok=True)
    done = subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "3650",
            "-subj",
            "/CN=mkctl",
            "-addext",
            "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
            "-keyout",
            str(where / KEY),
            "-out",
            str(where / CERTIFICATE),
        ],
        capture_output=True,
        umask=0o077,
        check=False,
    )
    return done.returncode == 0 and has_certificate(where)


def has_certificate(where: Path) -> bool:
    return (where / CERTIFICATE).exists() and (where / KEY).exists()


def server_context(where: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(where / CERTIFICATE, where / KEY)
    return context


def authority_data(where: Path) -> str:
    """The certificate as a kubeconfig's `certificate-authority-data` (base64 PEM)."""
    return base64.b64encode((where / CERTIFICATE).read_bytes()).decode()
