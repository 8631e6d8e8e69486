"""Background work of the register: sending SMS replies (a task receives plain values and calls the gateway)."""

from __future__ import annotations

from django_tasks import task

from . import sms


@task()
def send_sms_reply(sender: str, to: str, message_id: str, link_id: str, reply: str) -> bool:
    message = sms.IncomingMessage(sender=sender, to=to, text="", message_id=message_id, date="", link_id=link_id)
    return sms.gateway().send(message, reply)
