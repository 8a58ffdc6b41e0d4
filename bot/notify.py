"""Notifications outside the chat platforms: e-mail through SMTP and webhooks.

A crisis alert must still reach someone when Slack or Teams is down or a
phone silences chat at night. SMTP settings come from the environment
(``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_USER``, ``SMTP_PASSWORD``, ``SMTP_FROM``,
``SMTP_TLS``); webhooks are posted as JSON with aiohttp, signed with
``WEBHOOK_SECRET`` when it is set. Every failure is a ``NotifyError`` whose
message says what went wrong, for the audit trail.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import aiohttp

SMTP_TIMEOUT = 15.0
WEBHOOK_TIMEOUT = 10.0
SIGNATURE_HEADER = "X-Ambassador-Signature"


class NotifyError(Exception):
    """An e-mail or a webhook did not go out; the message says why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "ambassador@localhost"
    # starttls: upgrade when the server offers it (required when a password is sent
    # to a host other than this machine); ssl: TLS from the start (port 465); off: plain.
    tls: str = "starttls"
    timeout: float = SMTP_TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """The settings from SMTP_* variables; None when SMTP_HOST is not set."""
        env = os.environ if env is None else env
        host = (env.get("SMTP_HOST") or "").strip()
        if not host:
            return None
        tls = (env.get("SMTP_TLS") or "").strip().lower()
        port_text = (env.get("SMTP_PORT") or "").strip()
        if port_text and not port_text.isdigit():
            raise NotifyError(f"SMTP_PORT must be a port number, not {port_text!r}")
        port = int(port_text) if port_text else (465 if tls == "ssl" else 587 if env.get("SMTP_USER") else 25)
        if not tls:
            tls = "ssl" if port == 465 else "starttls"
        if tls not in ("starttls", "ssl", "off"):
            raise NotifyError(f"SMTP_TLS must be starttls, ssl or off, not {tls!r}")
        user = env.get("SMTP_USER") or None
        return cls(
            host=host,
            port=port,
            user=user,
            password=env.get("SMTP_PASSWORD") or None,
            sender=env.get("SMTP_FROM") or user or "ambassador@localhost",
            tls=tls,
        )


def _is_local(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def _send_sync(smtp: SmtpSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    with client:
        client.ehlo()
        if smtp.tls == "starttls":
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif smtp.user and not _is_local(smtp.host):
                raise NotifyError(f"{smtp.host} does not offer STARTTLS; refusing to send the password in clear text "
                                  "(set SMTP_TLS=off to allow it)")
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        refused = client.send_message(message)
        if refused:
            raise NotifyError("the server refused " + ", ".join(sorted(refused)))


async def send_email(smtp: SmtpSettings | None, to: Sequence[str], subject: str, body: str) -> None:
    """Send a plain-text e-mail; raises NotifyError with the reason when it does not go out."""
    if smtp is None:
        raise NotifyError("no SMTP server is configured (set SMTP_HOST)")
    recipients = [a for a in to if a]
    if not recipients:
        raise NotifyError("no recipient")
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = " ".join(subject.split())[:200]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or "localhost")
    message.set_content(body)
    try:
        # smtplib blocks; a thread keeps the event loop answering chat meanwhile.
        await asyncio.to_thread(_send_sync, smtp, message)
    except NotifyError:
        raise
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError(f"e-mail to {', '.join(recipients)} via {smtp.host}:{smtp.port} failed: "
                          f"{type(exc).__name__}: {exc}"[:500]) from exc


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def post_webhook(
    url: str,
    payload: dict[str, Any],
    *,
    secret: str | None = None,
    time_limit: float = WEBHOOK_TIMEOUT,
    session: aiohttp.ClientSession | None = None,
) -> int:
    """POST the payload as JSON; returns the HTTP status, raises NotifyError unless it is 2xx."""
    body = json.dumps(payload, ensure_ascii=False, default=str).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "ambassador-crisis"}
    secret = secret if secret is not None else os.environ.get("WEBHOOK_SECRET") or None
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body)
    own = session is None
    client = session or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=time_limit))
    try:
        async with client.post(url, data=body, headers=headers) as resp:
            if not 200 <= resp.status < 300:
                text = (await resp.text())[:200]
                raise NotifyError(f"webhook {url} answered {resp.status}: {text}".strip())
            return resp.status
    except NotifyError:
        raise
    except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
        raise NotifyError(f"webhook {url} failed: {type(exc).__name__}: {exc}"[:500]) from exc
    finally:
        if own:
            await client.close()
