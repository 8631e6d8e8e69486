"""SMS gateways: reading an incoming message from a gateway's callback and sending the reply.

One small adapter per gateway (`Gateway`), chosen by the setting CTIP_SMS_GATEWAY; Africa's Talking is the one
Kenyan short codes most often use. Its incoming-message callback POSTs form fields `from`, `to`, `text`, `id`,
`date` (and `linkId` on premium short codes); the reply is sent through its messaging API (POST
/version1/messaging with the `apiKey` header), from the background worker, and is also returned as the body of the
callback's answer (text/plain) for gateways and tests that read it there.

To add a gateway: subclass Gateway (parse + send), add it to GATEWAYS. The sender's number is personal data: it
goes to the reply and to a keyed hash for rate limiting, never to a log.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

log = logging.getLogger("ctip.recruitment")


@dataclass(frozen=True)
class IncomingMessage:
    sender: str
    to: str
    text: str
    message_id: str
    date: str
    link_id: str = ""


class GatewayError(ValueError):
    """The callback is not a message this gateway sends."""


class Gateway:
    name = ""

    def parse(self, data) -> IncomingMessage:
        raise NotImplementedError

    def send(self, message: IncomingMessage, reply: str) -> bool:
        raise NotImplementedError


class AfricasTalking(Gateway):
    name = "africastalking"
    URL = "https://api.africastalking.com/version1/messaging"
    SANDBOX_URL = "https://api.sandbox.africastalking.com/version1/messaging"

    def parse(self, data) -> IncomingMessage:
        fields = {k: (data.get(k) or "").strip() for k in ("from", "to", "text", "id", "date", "linkId")}
        if not fields["from"] or not fields["id"] or len(fields["text"]) > 1000:
            raise GatewayError("missing fields")
        return IncomingMessage(
            fields["from"][:20],
            fields["to"][:20],
            fields["text"],
            fields["id"][:100],
            fields["date"][:40],
            fields["linkId"][:100],
        )

    def send(self, message: IncomingMessage, reply: str) -> bool:
        """Send `reply` to the sender through the messaging API; False (logged, without the number) on failure or
        when no API key is configured."""
        username = settings.CTIP_SMS_USERNAME
        key = settings.CTIP_SMS_API_KEY
        if not username or not key:
            log.warning("sms reply not sent: CTIP_SMS_USERNAME / CTIP_SMS_API_KEY are not set")
            return False
        form = {"username": username, "to": message.sender, "message": reply}
        if message.to:
            form["from"] = message.to
        if message.link_id:
            form["linkId"] = message.link_id
        request = urllib.request.Request(  # noqa: S310 - a fixed https URL
            self.SANDBOX_URL if username == "sandbox" else self.URL,
            data=urllib.parse.urlencode(form).encode(),
            headers={"apiKey": key, "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                body = json.loads(response.read() or b"{}")
        except (OSError, ValueError):
            log.warning("sms reply not sent: the gateway did not answer")
            return False
        recipients = body.get("SMSMessageData", {}).get("Recipients", [])
        ok = bool(recipients) and all(r.get("statusCode") in (100, 101, 102) for r in recipients)
        if not ok:
            log.warning("sms reply refused by the gateway")
        return ok


GATEWAYS: dict[str, type[Gateway]] = {AfricasTalking.name: AfricasTalking}


def gateway() -> Gateway:
    return GATEWAYS[settings.CTIP_SMS_GATEWAY]()
