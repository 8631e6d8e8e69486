"""Demo data for the registry screens (issue 13): a cross-agency duplicate pair the national coordinator has asked
the owning agency to confirm, so a fresh `demo --size small` shows the agreement table, the request in the owning
agency's inbox and the answer flow. Runs after the duplicate scan (ctip/demo/generator.py EXTENSIONS)."""

from __future__ import annotations

from django.db.models import F

from ctip.accounts.enums import Role
from ctip.accounts.models import User

from . import services
from .models import DuplicateCandidate, DuplicateConfirmation, DuplicateStatus


def add_demo_confirmation(*, seed: int, result, actor, progress=None) -> None:
    if DuplicateConfirmation.objects.exists():
        return
    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    pair = (
        DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN)
        .exclude(person_a__owning_agency=F("person_b__owning_agency"))
        .order_by("-score", "pk")
        .first()
    )
    if coordinator is None or pair is None:
        return
    asked = services.duplicate_confirmation_request(actor=coordinator, candidate=pair)
    result.extra["duplicate_confirmations_asked"] = len(asked)
