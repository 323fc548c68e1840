"""The admin's browser session: a signed cookie that the admin token opened once, and the CSRF
token every form carries.

The cookie holds who signed in, until when, and the session's CSRF token, signed with an HMAC
keyed by ``ROUEI_ADMIN_TOKEN`` (so a new token ends every session). It is HttpOnly,
SameSite=Strict, and Secure when the request came over TLS. A form's CSRF token is compared
in constant time with the session's; a form without it is refused (403) before anything is read
from the store. The login form has its own token, bound to a nonce cookie.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "rouei_admin"
LOGIN_COOKIE = "rouei_login"
SESSION_SECONDS = 8 * 3600
LOGIN_SECONDS = 3600
MAX_COOKIE = 2000


@dataclass(frozen=True)
class AdminSession:
    who: str
    csrf: str
    expires: int


def _key(token: str, purpose: bytes) -> bytes:
    return hmac.new(token.encode(), b"rouei admin session v1 " + purpose, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(token: str, payload: dict) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode())
    mac = _b64(hmac.new(_key(token, b"cookie"), body.encode(), hashlib.sha256).digest())
    return f"{body}.{mac}"


def unsign(token: str, value: str | None) -> dict | None:
    if not value or len(value) > MAX_COOKIE or value.count(".") != 1:
        return None
    body, mac = value.split(".")
    want = _b64(hmac.new(_key(token, b"cookie"), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(mac.encode(), want.encode()):
        return None
    try:
        payload = json.loads(_unb64(body))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def admin_token(request: Request) -> str | None:
    return request.app.state.settings.admin_token or None


def current(request: Request) -> AdminSession | None:
    """The signed-in admin of this request, or None (no token configured, no or bad cookie, expired)."""
    token = admin_token(request)
    if not token:
        return None
    payload = unsign(token, request.cookies.get(COOKIE))
    if payload is None:
        return None
    who, csrf, expires = payload.get("who"), payload.get("csrf"), payload.get("exp")
    if not (isinstance(who, str) and isinstance(csrf, str) and isinstance(expires, int)) or expires < time.time():
        return None
    return AdminSession(who=who, csrf=csrf, expires=expires)


def is_tls(request: Request) -> bool:
    return request.url.scheme == "https"


def open_session(request: Request, response: Response, who: str) -> None:
    token = admin_token(request)
    assert token  # noqa: S101 - the login checked it
    expires = int(time.time()) + SESSION_SECONDS
    value = sign(token, {"who": who, "csrf": secrets.token_urlsafe(32), "exp": expires})
    response.set_cookie(COOKIE, value, max_age=SESSION_SECONDS, path="/", httponly=True, samesite="strict",
                        secure=is_tls(request))
    response.delete_cookie(LOGIN_COOKIE, path="/admin", httponly=True, samesite="strict", secure=is_tls(request))


def close_session(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=is_tls(request))


# ---- the login form's own CSRF token: an HMAC of a nonce cookie ----


def login_csrf(request: Request) -> tuple[str, str]:
    """The login form's nonce (kept from its cookie when there is one) and its token."""
    token = admin_token(request)
    assert token  # noqa: S101 - the page checked it
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    if not (16 <= len(nonce) <= 64 and nonce.replace("-", "").replace("_", "").isalnum()):
        nonce = secrets.token_urlsafe(24)
    return nonce, _b64(hmac.new(_key(token, b"login"), nonce.encode(), hashlib.sha256).digest())


def set_login_nonce(request: Request, response: Response, nonce: str) -> None:
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=LOGIN_SECONDS, path="/admin", httponly=True,
                        samesite="strict", secure=is_tls(request))


def check_login_csrf(request: Request, given: str | None) -> None:
    token = admin_token(request)
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    want = _b64(hmac.new(_key(token or "", b"login"), nonce.encode(), hashlib.sha256).digest())
    if not token or not nonce or not given or not hmac.compare_digest(given.encode(), want.encode()):
        raise HTTPException(403, "the form is stale or forged (no valid CSRF token): reload the sign-in page")


def same_origin(request: Request) -> None:
    """A form posted from another site is refused (the cookie's SameSite=Strict says the same)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise HTTPException(403, "a form from another site is refused")


def require_form(request: Request, given: str | None) -> AdminSession:
    """The signed-in admin whose form carries this session's CSRF token; 403 otherwise."""
    same_origin(request)
    admin = current(request)
    if admin is None:
        raise HTTPException(403, "sign in first (/admin/login)")
    if not given or not hmac.compare_digest(given.encode(), admin.csrf.encode()):
        raise HTTPException(403, "the form has no valid CSRF token: nothing was changed")
    return admin


class PrivateWhenSignedIn:
    """Pure ASGI middleware: an HTML page answered to a browser that holds a session cookie may
    carry its CSRF token and forms, so no cache may keep it (Cache-Control: no-store)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not any(
                name == b"cookie" and COOKIE.encode() in value for name, value in scope.get("headers", [])):
            await self.app(scope, receive, send)
            return

        async def private(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(n, v) for n, v in message.get("headers", [])]
                if any(n.lower() == b"content-type" and v.startswith(b"text/html") for n, v in headers):
                    headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, private)
