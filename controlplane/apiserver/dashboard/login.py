"""One-time login codes: how a browser tab gets the daemon's bearer token without it ever
appearing in a URL, a shell history or a server log.

`mkctl dashboard` holds the token (it reads `$MKCTL_HOME/token`) and signs a code with it:
an expiry, a random nonce and an HMAC of both under the token. The URL it prints carries the
code in its fragment (`/dashboard/#code=...`), which a browser never sends to a server. The
page posts the code to `/dashboard/session`; the daemon checks the signature and the expiry,
remembers the nonce so the code works once, and answers the token, which the page keeps in
the tab's sessionStorage and sends as `Authorization: Bearer` on every API request, as any
client does. So the token protections of `auth.py` (Host, method, body type, bearer) stay
exactly as they are for the API itself; only the page's static files and the exchange are
served without a token, and neither reveals anything to a caller without a valid code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

CODE_SECONDS = 600.0  # long enough to copy a URL printed with --no-open into a browser
PURPOSE = "mkctl-dashboard-login"


def _signature(token: str, expires: int, nonce: str) -> str:
    message = f"{PURPOSE}\n{expires}\n{nonce}".encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest()


def login_code(token: str, now: float | None = None) -> str:
    """A code that `LoginCodes.redeem` exchanges once for `token`, until it expires."""
    expires = int((time.time() if now is None else now) + CODE_SECONDS)
    nonce = secrets.token_urlsafe(16)
    return f"{expires}.{nonce}.{_signature(token, expires, nonce)}"


class LoginCodes:
    """The daemon's side: which codes are genuine, unexpired and not yet used."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.used: dict[str, int] = {}  # nonce -> expiry, forgotten once expired
        self.lock = threading.Lock()

    def redeem(self, code: str, now: float | None = None) -> str | None:
        """The token, if `code` is genuine, unexpired and used for the first time."""
        now = time.time() if now is None else now
        expires_text, _, rest = code.partition(".")
        nonce, _, signature = rest.partition(".")
        if not expires_text.isdigit() or not nonce or not signature:
            return None
        expires = int(expires_text)
        genuine = hmac.compare_digest(
            signature.encode(), _signature(self.token, expires, nonce).encode()
        )
        if not genuine or expires <= now:
            return None
        with self.lock:
            self.used = {n: e for n, e in self.used.items() if e > now}
            if nonce in self.used:
                return None
            self.used[nonce] = expires
        return self.token
