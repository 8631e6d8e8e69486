"""What the public is told: the verification answer as plain words for the page, the JSON API and one SMS.

The status is said plainly, with the date it took effect, when the register was last updated and what to do.
Warnings: the agency found resembles a deregistered or blacklisted agency (a re-registration under a new name),
the name typed resembles one, or the phone number typed belongs to one. No directors, no internal ids.

SMS: one message of at most 160 GSM-7 characters in the sender's language (VERIFY: English, HAKIKI: Kiswahili).
Names are shortened to fit, and the text is reduced to plain ASCII letters, digits and punctuation that count
as one character each in GSM-7 (no accents, no [ ] { } ~ ^ | \\ or euro sign, which would need two or switch the
message to UCS-2, where one message holds only 70 characters).
"""

from __future__ import annotations

import re
import unicodedata

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import RECRUITING_STATUSES, WARN_STATUSES, AgencyStatus
from .selectors import PublicAgency, VerifyAnswer

SMS_LIMIT = 160
KEYWORDS = {"VERIFY": "en", "HAKIKI": "sw"}

# Short, plain status words (the SMS and the headline of the page).
STATUS_WORDS = {
    AgencyStatus.VALID: gettext_lazy("LICENSED"),
    AgencyStatus.EXPIRED: gettext_lazy("LICENCE EXPIRED"),
    AgencyStatus.SUSPENDED: gettext_lazy("LICENCE SUSPENDED"),
    AgencyStatus.DEREGISTERED: gettext_lazy("DEREGISTERED"),
    AgencyStatus.BLACKLISTED: gettext_lazy("BLACKLISTED"),
    AgencyStatus.DENIED: gettext_lazy("LICENCE DENIED"),
}


def advice(status: str) -> str:
    """What to do, for an agency of this status."""
    if status in RECRUITING_STATUSES:
        return _("The employer pays all fees. Get a signed contract. Keep your passport.")
    if status in WARN_STATUSES:
        return _("Do not pay or hand over documents. Report it to NEA or the police.")
    return _("It may not recruit now. Do not pay it.")


def not_found_advice() -> str:
    return _("Do not pay. Ask for the NEA licence number and check again. Report offers to NEA or the police.")


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def describe(answer: VerifyAnswer) -> dict:
    """The answer as data, in the active language (the page and the JSON API)."""
    results = []
    for m in answer.matches:
        a = m.agency
        results.append(
            {
                "name": a.name,
                "trading_name": a.trading_name,
                "licence_number": a.licence_number,
                "county": a.county,
                "status": a.status,
                "status_label": str(STATUS_WORDS[a.status]),
                "status_since": a.status_since,
                "last_updated": a.updated_at,
                "may_recruit": a.status in RECRUITING_STATUSES,
                "matched_by": m.how,
                "advice": advice(a.status),
                "resembles": [_warned(w) for w in m.lookalike_of],
                "warning": _resembles_text(a, m.lookalike_of) if m.lookalike_of else "",
            }
        )
    warnings = []
    if answer.resembles_warned:
        warnings.append(
            _("The name you typed is close to agencies that were deregistered or blacklisted: %(names)s.")
            % {"names": ", ".join(w.name for w in answer.resembles_warned)}
        )
    if answer.phone_of_warned:
        warnings.append(
            _("This phone number belongs to an agency that was deregistered or blacklisted: %(names)s. Do not pay.")
            % {"names": ", ".join(w.name for w in answer.phone_of_warned)}
        )
    return {
        "query": answer.query,
        "searched_by": answer.kind,
        "found": answer.found,
        "results": results,
        "warnings": warnings,
        "advice": "" if answer.found else not_found_advice(),
    }


def _warned(a: PublicAgency) -> dict:
    return {"name": a.name, "licence_number": a.licence_number, "status": a.status, "status_since": a.status_since}


def _resembles_text(a: PublicAgency, others) -> str:
    return _(
        "Careful: this name is close to %(names)s, which was deregistered or blacklisted. "
        "Check the licence number on the agency's certificate."
    ) % {"names": ", ".join(o.name for o in others)}


# --- SMS ------------------------------------------------------------------------------------------------------

_GSM_SAFE = re.compile(r"[^A-Za-z0-9 .,:;!?'\"()/&%#*+=<>@_$-]")


def gsm(text: str) -> str:
    """Plain GSM-7 text of one character each: accents dropped, anything else removed, spaces squeezed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_GSM_SAFE.sub("", text).split())


SHORTENED = ("name", "other", "query")  # the parts that may be shortened to fit; the rest is said whole


def _fit(template: str, parts: dict[str, str], limit: int = SMS_LIMIT) -> str:
    """`template` % parts, shortening the names (longest first, never below 6 characters) until it fits; as a
    last resort the text is cut at `limit`."""
    parts = {k: gsm(v) for k, v in parts.items()}
    while True:
        text = gsm(template % parts)
        if len(text) <= limit:
            return text
        candidates = [k for k in SHORTENED if k in parts and len(parts[k]) > 6]
        if not candidates:
            return text[:limit]
        longest = max(candidates, key=lambda k: len(parts[k]))
        keep = max(6, len(parts[longest]) - (len(text) - limit) - 1)
        parts[longest] = parts[longest][:keep].rstrip() + "."


def sms_usage(language: str) -> str:
    with translation.override(language):
        return gsm(
            _(
                "Send VERIFY and the agency name, licence number or phone. Kiswahili: HAKIKI. "
                "Example: VERIFY Jakarta Ventures"
            )
        )


def sms_busy(language: str) -> str:
    with translation.override(language):
        return gsm(_("Too many requests from your number. Try again in an hour."))


def sms_text(answer: VerifyAnswer, language: str) -> str:
    """The one-message reply (<= 160 characters) in `language`."""
    with translation.override(language):
        if answer.phone_of_warned:
            a = answer.phone_of_warned[0]
            return _fit(
                _(
                    "WARNING: this number belongs to %(name)s, %(status)s since %(since)s. "
                    "Do not pay. Report to NEA or police."
                ),
                {"name": a.name, "status": str(STATUS_WORDS[a.status]), "since": _date(a.status_since)},
            )
        if not answer.matches:
            if answer.resembles_warned:
                a = answer.resembles_warned[0]
                return _fit(
                    _(
                        "No licensed agency %(query)s. Close to %(name)s: %(status)s. "
                        "Do not pay. Report to NEA or police."
                    ),
                    {"query": answer.query, "name": a.name, "status": str(STATUS_WORDS[a.status])},
                )
            return _fit(
                _("No licensed agency %(query)s. Do not pay. Ask for the NEA licence number and check again."),
                {"query": answer.query},
            )
        m = answer.matches[0]
        a = m.agency
        names = {
            "name": a.name,
            "licence": a.licence_number,
            "status": str(STATUS_WORDS[a.status]),
            "since": _date(a.status_since),
            "advice": advice(a.status),
        }
        if m.lookalike_of:
            names["other"] = m.lookalike_of[0].name
            return _fit(
                _(
                    "%(name)s %(licence)s: %(status)s since %(since)s. "
                    "Careful: close to deregistered %(other)s. Check the licence."
                ),
                names,
            )
        return _fit(_("%(name)s %(licence)s: %(status)s since %(since)s. %(advice)s"), names)
