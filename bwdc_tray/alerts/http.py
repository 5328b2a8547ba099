"""One small HTTP client for the webhook and health-check channels (stdlib urllib only).

A request has a per-attempt timeout, a bounded number of attempts (retried only on connection
errors, timeouts, 5xx and 429; never on another 4xx), a short backoff between attempts and an
optional total deadline (a ``time.monotonic()`` value) that no attempt or backoff crosses.

Alert URLs carry their token in the path, the query or the userinfo, so nothing here logs or
prints a URL, and an :class:`Outcome`'s detail names at most ``scheme://host[:port]``
(:func:`where`). Redirects are never followed: a redirect could carry the token to another host.
"""

from __future__ import annotations

import base64
import errno
import http.client
import json as jsonlib
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bwdc_tray import __version__
from bwdc_tray.alerts.model import ATTEMPTS, TIMEOUT_S, Delivery
from bwdc_tray.errors import InvalidInput

USER_AGENT = f"bwdc-tray/{__version__}"
BACKOFF_S: tuple[float, ...] = (0.5, 1.0)  # before the 2nd attempt, then before every later one
MIN_ATTEMPT_S = 0.05  # an attempt with less time than this left before the deadline is not made
SCHEMES = ("http", "https")

Method = Literal["GET", "POST"]


@dataclass(frozen=True)
class Outcome:
    """What a request came to. ``detail`` is safe to log and show: no path, query or userinfo."""

    ok: bool
    detail: str
    status: int | None = None  # the last HTTP status, if any answer came
    attempts: int = 0  # requests actually made

    def delivery(self, channel: str) -> Delivery:
        return Delivery(channel=channel, ok=self.ok, detail=self.detail)


def where(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: all of it that may be shown (no path, query or
    userinfo)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname
        port = parts.port
    except ValueError:
        return "(an invalid URL)"
    if not parts.scheme or not host:
        return "(an invalid URL)"
    scheme = parts.scheme.lower() if parts.scheme.lower() in SCHEMES else "(other)"
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port is not None else "")


def check_url(url: str, field: str = "URL") -> None:
    """Refuse what is not a plain http(s) URL with a host, naming ``field`` and the rule, never
    echoing the URL (it may hold a token). Raises :class:`InvalidInput`."""
    why = problem(url)
    if why:
        raise InvalidInput(
            f"{field}: {why}",
            "give the full URL the service shows, starting with https:// (or http://)",
        )


def problem(url: str) -> str | None:
    """Why ``url`` is refused (never quoting it), or None for a usable http(s) URL."""
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "not a URL (empty, or it holds spaces or control characters)"
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port  # raises on a bad port
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in SCHEMES:
        return "only http:// and https:// URLs are accepted"
    if not parts.hostname:
        return "the URL has no host"
    if port == 0:
        return "the URL's port must be 1-65535"
    return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turn every redirect into an HTTPError carrying its status: never follow one."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    # The default handlers (proxies from the environment, https) with redirects refused.
    return urllib.request.build_opener(_NoRedirect)


def _split_userinfo(url: str) -> tuple[str, str | None]:
    """The URL without ``user:password@`` and the Basic Authorization header it stood for."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    raw = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}".encode()
    auth = "Basic " + base64.b64encode(raw).decode("ascii")
    return urllib.parse.urlunsplit(parts._replace(netloc=hostport)), auth


def _fmt_s(seconds: float) -> str:
    return f"{round(seconds, 1):g} s"


def _times(n: int) -> str:
    return f"{n} attempt" + ("" if n == 1 else "s")


def _reason(exc: BaseException) -> tuple[str, bool]:
    """A short, URL-free phrase for a failure that is not an HTTP status, and whether it is
    worth another attempt."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, TimeoutError):
        return "timeout", True
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = exc.verify_message or "certificate verification failed"
        return f"TLS certificate not trusted: {why}", False
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or 'handshake failed'}", True
    if isinstance(exc, socket.gaierror):
        return "cannot connect: host not found", True
    if isinstance(exc, ConnectionRefusedError):
        return "cannot connect: connection refused", True
    if isinstance(exc, http.client.RemoteDisconnected):
        return "cannot connect: the server closed the connection without answering", True
    if isinstance(exc, ConnectionResetError):
        return "cannot connect: connection reset", True
    if isinstance(exc, OSError) and exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
        return "cannot connect: host unreachable", True
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot connect: {exc.strerror.lower()}", True
    if isinstance(exc, http.client.HTTPException):
        return "bad HTTP answer", True
    return f"cannot connect: {type(exc).__name__}", True


def request(
    url: str,
    *,
    method: Method = "POST",
    json: Any = None,
    text: str | None = None,
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    deadline: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    backoff: Sequence[float] = BACKOFF_S,
) -> Outcome:
    """Send ``json`` (as application/json) or ``text`` (text/plain), or nothing, to ``url``.

    Never raises for a network or HTTP problem: the outcome says what happened. ``deadline`` is
    a ``time.monotonic()`` value: each attempt's timeout is cut to what is left, and no attempt
    or backoff starts that would end after it.
    """
    why = problem(url)
    if why:
        return Outcome(False, f"refused: {why}")
    attempts = max(1, attempts)
    target, auth = _split_userinfo(url)
    data: bytes | None = None
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if json is not None:
        data = jsonlib.dumps(json, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
    elif text is not None:
        data = text.encode("utf-8")
        headers["Content-Type"] = "text/plain; charset=utf-8"
    if method == "POST" and data is None:
        data = b""
    if auth:
        headers["Authorization"] = auth
    opener = _opener()

    made = 0
    last = ""  # the last failure, as shown
    status: int | None = None
    timed_out = False
    out_of_time = False
    for n in range(attempts):
        per_try = timeout
        if deadline is not None:
            left = deadline - time.monotonic()
            if left < MIN_ATTEMPT_S:
                out_of_time = True
                break
            per_try = min(timeout, left)
        # The scheme was checked by problem(): http or https only.
        req = urllib.request.Request(target, data=data, headers=headers, method=method)  # noqa: S310
        made += 1
        retry = False
        try:
            with opener.open(req, timeout=per_try) as resp:
                status = int(resp.status)
            after = "" if made == 1 else f" after {_times(made)}"
            return Outcome(True, f"HTTP {status}{after}", status, made)
        except urllib.error.HTTPError as err:
            status = int(err.code)
            err.close()
            timed_out = False
            if 300 <= status < 400:
                last = f"HTTP {status} (a redirect, not followed)"
            else:
                last = f"HTTP {status}"
            retry = status >= 500 or status == 429
        except (OSError, http.client.HTTPException, ValueError) as exc:
            status = None
            if isinstance(exc, ValueError):  # urllib's own URL checks; never echo their text
                return Outcome(False, "refused: not a valid URL", None, made)
            reason, retry = _reason(exc)
            timed_out = reason == "timeout"
            last = f"timed out after {_fmt_s(per_try)}" if timed_out else reason
        if not retry or n == attempts - 1:
            break
        pause = backoff[min(n, len(backoff) - 1)] if backoff else 0.0
        if deadline is not None and time.monotonic() + pause + MIN_ATTEMPT_S >= deadline:
            out_of_time = True
            break
        if pause > 0:
            sleep(pause)

    if made == 0:
        return Outcome(False, "not sent: no time left before the alert deadline", None, 0)
    if timed_out:
        detail = last if made == 1 else f"{last} ({_times(made)})"
    elif made == 1:
        detail = last
    elif status is not None:
        detail = f"{last} after {_times(made)}"
    else:
        detail = f"{last} ({_times(made)})"
    if out_of_time:
        detail += "; no time left to retry"
    return Outcome(False, detail, status, made)
