"""Validators shared by forms, API serializers and services.

Dates: nothing CTIP records happened before 1900 (the earliest date of birth of a living person), and what
happened cannot be in the future. A planned date (a follow-up's due date) may be in the future, not before 1900.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_DATE = date(1900, 1, 1)
MIN_DATETIME = datetime(1900, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)  # a device clock slightly ahead is not "the future"


def validate_not_before_1900(value: date | datetime) -> None:
    if value is None:
        return
    if isinstance(value, datetime):
        too_early = (value if timezone.is_aware(value) else value.replace(tzinfo=UTC)) < MIN_DATETIME
    else:
        too_early = value < MIN_DATE
    if too_early:
        raise ValidationError(_("The date cannot be before 1900."), code="before_1900")


def validate_past_date(value: date | datetime) -> None:
    """Not before 1900 and not in the future (for dates and date-times)."""
    if value is None:
        return
    validate_not_before_1900(value)
    if isinstance(value, datetime):
        in_future = timezone.is_aware(value) and value > timezone.now() + CLOCK_SKEW
    else:
        in_future = value > timezone.localdate()
    if in_future:
        raise ValidationError(_("The date cannot be in the future."), code="future")
