"""Alert delivery: an outbox in the store, sent by webhook (signed JSON) or e-mail (SMTP).

Each (alert, subscription) pair the subscription wants becomes one ``alert_deliveries`` row;
its id is the idempotency key the receiver sees (``Idempotency-Key`` header, e-mail
``Message-ID``). Every attempt is written before it is made and completed after, so the audit
shows each try, and a crash between "sent" and "recorded" leaves an unfinished attempt: the
delivery is tried again with the same key, and a receiver that honours the key takes it once.
Failed attempts wait ``backoff_s * 2**(attempt-1)`` (at most ``backoff_max_s``) before the
next; a 4xx answer other than 408/429 is final, as is the last of ``attempts``.

Webhook bodies are signed: ``X-Watchfloor-Signature: t=<unix time>,v1=<hex>`` where ``v1`` is
HMAC-SHA256 with the subscription's secret over ``"<t>." + body`` (see :func:`verify_signature`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import or_, select

from watchfloor.assess.alerts import AlertView, list_alerts
from watchfloor.model.ids import stable_id
from watchfloor.store import Store
from watchfloor.store.models import Alert, AlertDelivery, DeliveryAttempt
from watchfloor.watch.log import log_event
from watchfloor.watch.state import aware, now
from watchfloor.watch.subscriptions import Subscription

SIGNATURE_HEADER = "X-Watchfloor-Signature"
RETRYABLE_4XX = frozenset({408, 425, 429})


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard to try: attempts before giving up, waits between them, one attempt's timeout."""

    attempts: int = 8
    backoff_s: float = 30.0
    backoff_max_s: float = 3600.0
    timeout_s: float = 10.0

    def wait_after(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return float(min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1)))


@dataclass(frozen=True)
class SmtpServer:
    host: str = "localhost"
    port: int = 25
    sender: str = "watchfloor@localhost"
    starttls: bool = False


class DeliveryFailed(Exception):
    """One attempt failed; ``final`` when trying again cannot help (a 4xx answer)."""

    def __init__(self, message: str, status: int | None = None, final: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.final = final


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, body: bytes, header: str, tolerance_s: float = 300.0) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and is at most ``tolerance_s`` old."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance_s:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


def payload(delivery_id: str, subscription: str, alert: AlertView) -> dict[str, Any]:
    """The JSON a receiver gets: the alert with its evidence pointers, and the delivery's key."""
    return {
        "delivery": delivery_id,
        "subscription": subscription,
        "alert": {
            "id": alert.id,
            "kind": alert.kind,
            "title": alert.title,
            "severity": alert.severity,
            "as_of": alert.as_of.isoformat() if alert.as_of else None,
            "created_at": _iso(alert.created_at),
            "data": alert.data,
            "evidence": [{k: v for k, v in vars(p).items() if v is not None} for p in alert.evidence],
        },
    }


def enqueue(store: Store, subscriptions: Sequence[Subscription]) -> int:
    """Create the deliveries owed: every stored alert each subscription wants and has no row for."""
    if not subscriptions:
        return 0
    created = 0
    with store.session() as session:
        alerts = list_alerts(session)
        markings = dict(session.execute(select(Alert.id, Alert.tlp)).all())
        known = set(session.scalars(select(AlertDelivery.id)))
        for alert in alerts:
            for sub in subscriptions:
                delivery_id = stable_id("delivery", alert.id, sub.name)
                if delivery_id in known or not sub.wants(alert, markings.get(alert.id, "red")):
                    continue
                session.add(
                    AlertDelivery(
                        id=delivery_id,
                        alert_id=alert.id,
                        subscription=sub.name,
                        channel=sub.channel,
                        target=sub.target,
                        status="pending",
                        attempts=0,
                        created_at=now(),
                    )
                )
                known.add(delivery_id)
                created += 1
    return created


def send_webhook(url: str, body: bytes, key: str, secret: str | None, timeout_s: float) -> int:
    """POST ``body`` to ``url``; the status on 2xx, :class:`DeliveryFailed` otherwise."""
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": key,
        "X-Watchfloor-Delivery": key,
        "User-Agent": "watchfloor-watch",
    }
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body, int(time.time()))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        final = 400 <= exc.code < 500 and exc.code not in RETRYABLE_4XX
        raise DeliveryFailed(f"HTTP {exc.code} {exc.reason}", exc.code, final) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc


def send_email(
    server: SmtpServer, recipients: list[str], key: str, alert: AlertView, body: str, timeout_s: float
) -> None:
    """Send one alert as an e-mail (plain text and the JSON attached); ``Message-ID`` is the key."""
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = f"[watchfloor {alert.severity}] {alert.title}"
    message["Message-ID"] = f"<{key}@watchfloor>"
    message["X-Watchfloor-Delivery"] = key
    message.set_content(body)
    try:
        with smtplib.SMTP(server.host, server.port, timeout=timeout_s) as smtp:
            if server.starttls:
                smtp.starttls()
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryFailed(f"recipients refused: {sorted(exc.recipients)}", final=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"SMTP: {type(exc).__name__}: {exc}") from exc


def _email_text(alert: AlertView, document: dict[str, Any]) -> str:
    lines = [alert.title, "", f"kind: {alert.kind}", f"severity: {alert.severity}"]
    if alert.as_of:
        lines.append(f"as of: {alert.as_of.isoformat()}")
    lines += ["", "evidence:"]
    for pointer in alert.evidence:
        where = pointer.document_id or pointer.maritime_event_id or pointer.list_entry_key or ""
        quote = f' "{pointer.quote}"' if pointer.quote else ""
        lines.append(f"- {pointer.kind} {where}{quote}")
    lines += ["", "as JSON:", json.dumps(document, indent=2, default=str)]
    return "\n".join(lines)


@dataclass
class DeliveryCounts:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    attempts: int = 0

    def as_dict(self) -> dict[str, int]:
        return vars(self).copy()


class Deliverer:
    """Sends the due deliveries of an outbox, one recorded attempt at a time."""

    def __init__(
        self,
        store: Store,
        subscriptions: Sequence[Subscription],
        policy: DeliveryPolicy | None = None,
        smtp: SmtpServer | None = None,
    ) -> None:
        self.store = store
        self.subscriptions = {s.name: s for s in subscriptions}
        self.policy = policy or DeliveryPolicy()
        self.smtp = smtp or SmtpServer()

    def run(self) -> DeliveryCounts:
        """Enqueue what is owed, then try every delivery that is due."""
        enqueue(self.store, list(self.subscriptions.values()))
        counts = DeliveryCounts()
        moment = now()
        with self.store.session() as session:
            due = list(
                session.scalars(
                    select(AlertDelivery.id)
                    .where(AlertDelivery.status == "pending")
                    .where(
                        or_(AlertDelivery.next_attempt_at.is_(None), AlertDelivery.next_attempt_at <= moment)
                    )
                    .order_by(AlertDelivery.created_at, AlertDelivery.id)
                )
            )
        alerts = {}
        if due:
            with self.store.session() as session:
                alerts = {a.id: a for a in list_alerts(session)}
        for delivery_id in due:
            self._attempt(delivery_id, alerts, counts)
        return counts

    def _attempt(self, delivery_id: str, alerts: dict[str, AlertView], counts: DeliveryCounts) -> None:
        with self.store.session() as session:
            delivery = session.get(AlertDelivery, delivery_id)
            if delivery is None or delivery.status != "pending":
                return
            delivery.attempts += 1
            number = delivery.attempts
            attempt = DeliveryAttempt(delivery_id=delivery_id, number=number, started_at=now())
            session.add(attempt)
            session.flush()
            attempt_id = attempt.id
            sub_name, channel, target, alert_id = (
                delivery.subscription,
                delivery.channel,
                delivery.target,
                delivery.alert_id,
            )
        counts.attempts += 1
        status: int | None = None
        error: str | None = None
        final = False
        alert = alerts.get(alert_id)
        sub = self.subscriptions.get(sub_name)
        try:
            if alert is None:
                raise DeliveryFailed(f"alert {alert_id} is no longer in the store", final=True)
            document = payload(delivery_id, sub_name, alert)
            if channel == "webhook":
                body = json.dumps(document, default=str, sort_keys=True).encode()
                status = send_webhook(
                    target, body, delivery_id, sub.secret if sub else None, self.policy.timeout_s
                )
            else:
                send_email(
                    self.smtp,
                    [a.strip() for a in target.split(",")],
                    delivery_id,
                    alert,
                    _email_text(alert, document),
                    self.policy.timeout_s,
                )
        except DeliveryFailed as exc:
            error, status, final = str(exc), exc.status, exc.final
        finished = now()
        with self.store.session() as session:
            attempt_row = session.get(DeliveryAttempt, attempt_id)
            delivery = session.get(AlertDelivery, delivery_id)
            assert attempt_row is not None and delivery is not None
            attempt_row.finished_at = finished
            attempt_row.ok = error is None
            attempt_row.status_code = status
            attempt_row.error = error
            if error is None:
                delivery.status = "delivered"
                delivery.delivered_at = finished
                delivery.last_error = None
                delivery.next_attempt_at = None
            else:
                delivery.last_error = error
                if final or number >= self.policy.attempts:
                    delivery.status = "failed"
                    delivery.next_attempt_at = None
                else:
                    delivery.next_attempt_at = finished + timedelta(seconds=self.policy.wait_after(number))
            outcome = delivery.status
        if error is None:
            counts.delivered += 1
            log_event("deliver.sent", delivery=delivery_id, channel=channel, attempt=number, status=status)
        elif outcome == "failed":
            counts.failed += 1
            log_event(
                "deliver.gave_up",
                level=40,
                delivery=delivery_id,
                channel=channel,
                attempt=number,
                error=error,
            )
        else:
            counts.retrying += 1
            log_event(
                "deliver.retry", level=30, delivery=delivery_id, channel=channel, attempt=number, error=error
            )


def delivery_log(store: Store, alert_id: str | None = None) -> list[dict[str, Any]]:
    """Every delivery with its attempts (the audit of what was sent, when, and what came back)."""
    with store.session() as session:
        statement = select(AlertDelivery).order_by(AlertDelivery.created_at, AlertDelivery.id)
        if alert_id:
            statement = statement.where(AlertDelivery.alert_id == alert_id)
        deliveries = list(session.scalars(statement))
        attempts: dict[str, list[dict[str, Any]]] = {d.id: [] for d in deliveries}
        if deliveries:
            for row in session.scalars(
                select(DeliveryAttempt)
                .where(DeliveryAttempt.delivery_id.in_(attempts))
                .order_by(DeliveryAttempt.id)
            ):
                attempts[row.delivery_id].append(
                    {
                        "number": row.number,
                        "started_at": _iso(row.started_at),
                        "finished_at": _iso(row.finished_at),
                        "ok": row.ok,
                        "status_code": row.status_code,
                        "error": row.error,
                    }
                )
        return [
            {
                "id": d.id,
                "alert_id": d.alert_id,
                "subscription": d.subscription,
                "channel": d.channel,
                "target": d.target,
                "status": d.status,
                "attempts": attempts[d.id],
                "delivered_at": _iso(d.delivered_at),
                "next_attempt_at": _iso(d.next_attempt_at),
                "last_error": d.last_error,
            }
            for d in deliveries
        ]


def _iso(moment: datetime | None) -> str | None:
    value = aware(moment)
    return value.isoformat() if value else None
