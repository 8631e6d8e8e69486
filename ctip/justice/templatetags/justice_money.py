"""`{{ cents|ksh }}`: an amount kept in integer cents shown as KSh with thousands separators."""

from django import template

register = template.Library()


@register.filter
def ksh(cents) -> str:
    if cents is None or cents == "":
        return "—"
    cents = int(cents)
    whole, part = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"KSh {sign}{whole:,}" + (f".{part:02d}" if part else "")
