"""Alert delivery against real local receivers: an HTTP webhook (HMAC, retries, idempotency) and
an SMTP server (aiosmtpd); every attempt recorded, nothing sent twice, nothing lost in a crash."""

from __future__ import annotations

import email
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.watch.conftest import SRC, Receiver, free_port, wait_for
from watchfloor.assess.alerts import AlertDraft, AlertKind, EvidencePointer, store_alerts
from watchfloor.service.app import Watchfloor
from watchfloor.store.models import Alert, AlertDelivery, DeliveryAttempt
from watchfloor.watch.delivery import Deliverer, DeliveryPolicy, SmtpServer, delivery_log, verify_signature
from watchfloor.watch.subscriptions import Subscription

SECRET = "s3cret-for-tests"


def plant_alerts(service: Watchfloor, *drafts: AlertDraft) -> None:
    with service.session() as session:
        store_alerts(session, list(drafts))


def port_call(mmsi: int, entry: str = "un:KPi.071") -> AlertDraft:
    return AlertDraft(
        id=f"alert-port-{mmsi}",
        kind=AlertKind.LISTED_VESSEL_PORT_CALL,
        title=f"Listed vessel MMSI {mmsi} called at Rajin on 2024-10-29",
        severity="warning",
        as_of=date(2024, 10, 29),
        data={"mmsi": mmsi, "imo": 9000000 + mmsi % 1000, "port": "rajin", "list_entries": [entry]},
        evidence=[EvidencePointer("list_entry", list_entry_key=entry)],
    )


def corroborated(indicator: str) -> AlertDraft:
    return AlertDraft(
        id=f"alert-ind-{indicator}",
        kind=AlertKind.INDICATOR_CORROBORATED,
        title=f"{indicator}: corroborated by 2 independent sources",
        severity="warning",
        as_of=date(2024, 10, 30),
        data={"indicator": indicator, "status": "corroborated"},
    )


def hook(receiver: Receiver, **filters: Any) -> Subscription:
    return Subscription("desk", "webhook", receiver.url, SECRET, **filters)


def test_a_webhook_that_fails_then_accepts_gets_the_alert_once(
    service: Watchfloor, receiver: Receiver
) -> None:
    plant_alerts(service, port_call(273456789))
    receiver.responses = [500]
    deliverer = Deliverer(service.store, [hook(receiver)], DeliveryPolicy(backoff_s=0))
    first = deliverer.run()
    assert first.retrying == 1 and first.delivered == 0 and not receiver.accepted
    second = deliverer.run()
    assert second.delivered == 1
    assert deliverer.run().attempts == 0  # delivered: never sent again
    assert len(receiver.requests) == 2 and len(receiver.accepted) == 1
    (log,) = delivery_log(service.store)
    assert log["status"] == "delivered"
    assert [(a["ok"], a["status_code"]) for a in log["attempts"]] == [(False, 500), (True, 200)]
    body = receiver.requests[1]["body"]
    headers = receiver.requests[1]["headers"]
    assert verify_signature(SECRET, body, headers["X-Watchfloor-Signature"])
    assert not verify_signature("another secret", body, headers["X-Watchfloor-Signature"])
    assert not verify_signature(SECRET, body.replace(b"Rajin", b"Nampo"), headers["X-Watchfloor-Signature"])
    document = json.loads(body)
    assert headers["Idempotency-Key"] == document["delivery"] == log["id"]
    assert document["alert"]["data"]["mmsi"] == 273456789
    assert document["alert"]["evidence"] == [{"kind": "list_entry", "list_entry_key": "un:KPi.071"}]


def test_failed_attempts_back_off_and_give_up(service: Watchfloor, receiver: Receiver) -> None:
    plant_alerts(service, port_call(1), port_call(2))
    receiver.responses = [503] * 10
    policy = DeliveryPolicy(attempts=3, backoff_s=60, backoff_max_s=100)
    assert [policy.wait_after(n) for n in (1, 2, 3)] == [60, 100, 100]
    deliverer = Deliverer(service.store, [hook(receiver)], policy)
    assert deliverer.run().attempts == 2
    assert deliverer.run().attempts == 0  # both wait a minute before the next attempt
    with service.session() as session:
        for row in session.scalars(select(AlertDelivery)):
            row.next_attempt_at = None  # the minute has passed
    deliverer.run()
    with service.session() as session:
        for row in session.scalars(select(AlertDelivery)):
            row.next_attempt_at = None
    last = deliverer.run()
    assert last.failed == 2 and last.attempts == 2
    assert all(d["status"] == "failed" and len(d["attempts"]) == 3 for d in delivery_log(service.store))
    assert deliverer.run().attempts == 0


def test_a_client_error_is_final(service: Watchfloor, receiver: Receiver) -> None:
    plant_alerts(service, port_call(3))
    receiver.responses = [404]
    counts = Deliverer(service.store, [hook(receiver)]).run()
    assert counts.failed == 1
    (log,) = delivery_log(service.store)
    assert log["status"] == "failed" and log["last_error"].startswith("HTTP 404")


def test_subscriptions_choose_their_alerts(service: Watchfloor, receiver: Receiver) -> None:
    plant_alerts(
        service, port_call(11, "un:A"), port_call(12, "ofac:B"), corroborated("dprk_troops_in_russia")
    )
    with service.session() as session:
        session.get(Alert, "alert-port-11").tlp = "red"  # type: ignore[union-attr]
    subscriptions = [
        Subscription("ports", "webhook", receiver.url, kinds=frozenset({"listed_vessel_port_call"})),
        Subscription("vessel-12", "webhook", receiver.url, vessels=frozenset({"12"})),
        Subscription("entry-A", "webhook", receiver.url, entities=frozenset({"un:A"})),
        Subscription("troops", "webhook", receiver.url, indicators=frozenset({"dprk_troops_in_russia"})),
    ]
    Deliverer(service.store, subscriptions).run()
    sent = sorted((d["subscription"], d["alert_id"]) for d in delivery_log(service.store))
    assert sent == [
        ("ports", "alert-port-12"),  # alert-port-11 is TLP:RED: never sent
        ("troops", "alert-ind-dprk_troops_in_russia"),
        ("vessel-12", "alert-port-12"),
    ]
    assert len(receiver.accepted) == 3


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def test_alerts_by_email_through_a_real_smtp_server(service: Watchfloor, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    plant_alerts(service, port_call(21))
    subscription = Subscription("duty", "email", "duty@example.org, desk@example.org")
    server = SmtpServer("127.0.0.1", port, "watch@example.org")
    deliverer = Deliverer(service.store, [subscription], smtp=server)
    assert deliverer.run().delivered == 1
    assert deliverer.run().attempts == 0
    (message,) = box.messages
    (log,) = delivery_log(service.store)
    assert message["Message-ID"] == f"<{log['id']}@watchfloor>"
    assert "Listed vessel MMSI 21 called at Rajin" in message["Subject"]
    assert sorted(box.envelopes[0].rcpt_tos) == ["desk@example.org", "duty@example.org"]
    text = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "list_entry un:KPi.071" in text and '"mmsi": 21' in text


def test_an_unreachable_smtp_server_is_retried(service: Watchfloor) -> None:
    plant_alerts(service, port_call(22))
    server = SmtpServer("127.0.0.1", free_port())
    deliverer = Deliverer(service.store, [Subscription("duty", "email", "duty@example.org")], smtp=server)
    counts = deliverer.run()
    assert counts.retrying == 1
    (log,) = delivery_log(service.store)
    assert log["status"] == "pending" and "SMTP" in log["last_error"]


@pytest.mark.slow
def test_a_crash_mid_delivery_does_not_deliver_twice(
    service: Watchfloor, receiver: Receiver, tmp_path: Path
) -> None:
    """kill -9 of ``watchfloor watch --once`` after the receiver got the POST and before the
    watch recorded the answer: the restarted watch sends again with the same key, taken once."""
    plant_alerts(service, port_call(31))
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(f"- name: desk\n  webhook: {receiver.url}\n  secret: {SECRET}\n")
    settings = service.settings
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "WATCHFLOOR_DATABASE_URL": settings.database_url,
        "WATCHFLOOR_DATA_DIR": str(settings.data_dir),
        "WATCHFLOOR_WATCH_INBOX": str(settings.watch_inbox),
        "WATCHFLOOR_WATCH_SUBSCRIPTIONS_FILE": str(subscriptions),
    }
    receiver.hold = threading.Event()
    process = subprocess.Popen(
        [sys.executable, "-m", "watchfloor.cli.app", "watch", "--once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert receiver.received.wait(240), "the watch never posted the alert"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    receiver.hold.set()
    assert wait_for(lambda: len(receiver.accepted) == 1)
    with service.session() as session:
        (attempt,) = session.scalars(select(DeliveryAttempt))
        assert attempt.finished_at is None  # written before sending, never completed
    again = subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", "watch", "--once", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["deliver"]["delivered"] == 1
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["key"] == receiver.requests[1]["key"]
    assert len(receiver.accepted) == 1
    (log,) = delivery_log(service.store)
    assert log["status"] == "delivered" and [a["finished_at"] is None for a in log["attempts"]] == [
        True,
        False,
    ]
