"""`/dashboard/`: the daemon serves a live picture of the ownership graph to a browser.

The page is static (HTML, a few ES modules and a stylesheet under `static/`, no library,
nothing fetched from elsewhere) and reads the cluster the way any client does: `?watch=1`
streams of the REST API with the daemon's bearer token, which it gets once from a one-time
login code (`login.py`). The daemon therefore serves only these few paths without a token
(`PUBLIC_PATHS`, which `auth.py` admits after its Host and method checks): the files, which
hold no secret, and the exchange of a code for the token. This module names those paths
and imports nothing, since `auth.py` (and so every CLI command that talks to a daemon)
imports it; `serve.py` answers them.

Every answer carries a Content-Security-Policy that lets the page load from and connect to
its own origin only, and forbids framing, so another site cannot embed it.
"""

PREFIX = "/dashboard/"
SESSION = PREFIX + "session"
# The files under static/ (a unit test checks the list); /dashboard/ is index.html.
FILES = (
    "index.html",
    "dashboard.css",
    "dashboard.js",
    "api.js",
    "graph.js",
    "timeline.js",
    "details.js",
)
STATIC = {PREFIX + ("" if name == "index.html" else name): name for name in FILES}
PUBLIC_PATHS = frozenset({PREFIX.rstrip("/"), SESSION, *STATIC})
