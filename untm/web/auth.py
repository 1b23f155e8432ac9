"""Who may change data through the page, and proof that a change was sent by the page itself.

Two separate questions, answered by standard means rather than anything home-made:

* **Authentication** (``--auth``): a change (adding a term) needs HTTP basic auth whose
  password is the secret in ``$UNTM_WEB_TOKEN``. Basic auth is what every browser and ``curl -u``
  speak without a login page, a user table or a session store; the secret comes from the
  environment because a command line is visible to every user of the machine (``ps``). The
  password is compared with ``hmac.compare_digest`` (no timing leak). Look-ups and QA do not
  change anything and stay open: on a trusted network, reading is what a team's page is for.
* **CSRF**: a browser sends a translator's cookies and cached basic-auth credentials with a form
  that *another* site posts to this server, so credentials alone do not prove intent. Every
  POST must carry a token the page rendered (a signed double-submit cookie, OWASP's pattern):
  the cookie holds a random nonce (``secrets``), the form holds HMAC(server key, nonce), and the
  server recomputes it; another site can neither read the cookie nor forge the HMAC. The cookie
  is ``SameSite=Strict`` and ``HttpOnly``, and the ``Origin`` (else ``Referer``) of a POST must
  be this server: both are defence in depth on top of the token.

The three ways a server can stand (``Access``): on a loopback address without ``--auth`` the
one translator on the machine may change their termbase (CSRF still applies: any web page can
make the browser post to 127.0.0.1); with ``--auth`` changes need the password; on a network
address without ``--auth`` changes are refused and the page is read-only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from uncore.errors import UsageError

TOKEN_ENV = "UNTM_WEB_TOKEN"
MIN_TOKEN_CHARS = 16  # a password guessed over the network must not be short
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
REALM = "untm"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Access:
    """What the page lets a visitor change. ``secret`` set: changes need it (basic auth);
    ``writes`` False: changes are refused whoever asks (a network server without ``--auth``)."""

    writes: bool = True
    secret: bytes | None = None

    @property
    def needs_login(self) -> bool:
        return self.writes and self.secret is not None


def access_for(*, auth: bool, loopback: bool, environ: dict[str, str] | None = None) -> Access:
    """The ``Access`` of ``untm serve``: with ``--auth`` the secret from ``$UNTM_WEB_TOKEN``
    (a ``UsageError`` when it is unset or short: the server must not start open by mistake)."""
    env = os.environ if environ is None else environ
    if not auth:
        return Access(writes=loopback)
    token = env.get(TOKEN_ENV, "")
    if not token:
        raise UsageError(
            f"--auth needs the team's password in ${TOKEN_ENV} (set it in the environment, never "
            "on the command line; e.g. export UNTM_WEB_TOKEN=$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe())'))"
        )
    if len(token) < MIN_TOKEN_CHARS:
        raise UsageError(
            f"${TOKEN_ENV} is {len(token)} characters long: use at least {MIN_TOKEN_CHARS} "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe())' makes one)"
        )
    return Access(writes=True, secret=token.encode("utf-8"))


def basic_auth_user(header: str | None, secret: bytes) -> str | None:
    """The user name of an ``Authorization: Basic`` header whose password is ``secret``, else
    None. Any user name is accepted (it names who made the change); the password decides."""
    if not header:
        return None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    user, colon, password = decoded.partition(b":")
    if not colon:
        return None
    if not hmac.compare_digest(password, secret):
        return None
    return user.decode("utf-8", "replace") or "-"


def csrf_key(access: Access) -> bytes:
    """The key CSRF tokens are signed with: derived from the ``--auth`` secret (tokens in open
    pages survive a restart), else random for this server's lifetime (a page from before a
    restart must be reloaded). Forked workers inherit it."""
    if access.secret is not None:
        return hmac.new(access.secret, b"untm csrf key", hashlib.sha256).digest()
    return secrets.token_bytes(32)


def csrf_token(key: bytes, nonce: str) -> str:
    return hmac.new(key, nonce.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def csrf_cookie_name(host: str) -> str:
    """One cookie per port: browsers share cookies between ports of one host, and two untm
    servers on 127.0.0.1 must not overwrite each other's nonce."""
    _, colon, port = host.rpartition(":")
    return f"untm_csrf_{port if colon and port.isdigit() else 'default'}"


def csrf_valid(key: bytes, nonce: str | None, submitted: str | None) -> bool:
    if not nonce or not submitted:
        return False
    return hmac.compare_digest(csrf_token(key, nonce), submitted)


def same_origin(origin: str | None, referer: str | None, host: str) -> bool:
    """Whether a POST comes from a page of this server, as far as the browser says: its
    ``Origin`` (else its ``Referer``) names ``host``. ``Origin: null`` (a sandboxed frame, a
    file) is refused; neither header (``curl``, a script) passes to the CSRF token check."""
    if origin is not None:
        if origin == "null":
            return False
        return urlsplit(origin).netloc.lower() == host.lower()
    if referer:
        return urlsplit(referer).netloc.lower() == host.lower()
    return True


def is_safe(method: str) -> bool:
    """GET, HEAD and OPTIONS change nothing here; every other method is checked."""
    return method.upper() in _SAFE_METHODS


def writes(view: F) -> F:
    """Mark a route as changing data: it then needs ``Access.writes`` and, with ``--auth``,
    the password (``untm.web.app`` checks before the view runs)."""
    view.untm_writes = True  # type: ignore[attr-defined]
    return view
