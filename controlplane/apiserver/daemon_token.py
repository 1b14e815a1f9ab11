"""The daemon's token, and how a CLI proves the server it dials knows it.

The token is random, made by `mkctl cluster start`, and kept in `$MKCTL_HOME/token` (0600).
A CLI proves the server knows it before sending it: a request carrying a `Mkctl-Challenge`
nonce gets back `Mkctl-Proof`, an HMAC of the nonce and the address the daemon listens on
under the token. A program that took the port of a stopped daemon cannot answer it, nor
relay a live daemon's answer (the daemon signs its own address, not the one dialled).

Both sides use this module: the daemon's guard (`auth`) and every CLI command that talks to
the daemon (`minikubectl.remote`), which must not pay for importing the server's guard
(nor, when no daemon answers, for OpenSSL's hashes).
"""

from __future__ import annotations

from pathlib import Path

from controlplane.home import write_private

TOKEN_FILE = "token"
CHALLENGE_HEADER = "Mkctl-Challenge"
PROOF_HEADER = "Mkctl-Proof"


def new_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


def write_token(where: Path, token: str) -> None:
    write_private(where / TOKEN_FILE, token + "\n")


def read_token(where: Path) -> str | None:
    try:
        return (where / TOKEN_FILE).read_text().strip() or None
    except OSError:
        return None


def proof(token: str, challenge: str, address: str) -> str:
    """What only a holder of `token` listening on `address` (`127.0.0.1:PORT`) answers."""
    import hashlib
    import hmac

    message = f"{challenge}\n{address}".encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest()
