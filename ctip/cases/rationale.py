"""Texts of a screening's rationale. A screening stores `[{code, params}]` (language-neutral); this module renders
it in the reader's language at display time. Params are never identity data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ctip.reference.models import Dimension

MESSAGES = {
    "delphi.dimension_positive": _(
        "%(dimension)s is positive (%(strong)s strong, %(medium)s medium, %(weak)s weak indicators)."
    ),
    "delphi.dimension_negative": _(
        "%(dimension)s: indicators found but not enough to be positive (%(strong)s strong, %(medium)s medium, "
        "%(weak)s weak)."
    ),
    "delphi.no_indicators": _("No indicator was observed."),
    "delphi.strong_present": _("At least one strong indicator was observed."),
    "delphi.child_rule": _(
        "The person is a child: the means (deception, coercion, abuse of vulnerability) are not required; "
        "exploitation with a positive recruitment or destination dimension is enough."
    ),
    "delphi.adult_rule": _(
        "Adult: trafficking needs a positive recruitment dimension, exploitative conditions and coercion or abuse "
        "of vulnerability at destination."
    ),
    "delphi.likely": _("The combination rule is met: the person is likely a victim of trafficking."),
    "delphi.possible": _("The combination rule is not met, but there are signs: a possible victim of trafficking."),
    "delphi.not_met": _("No dimension is positive and no strong indicator was observed."),
    "delphi.provisional": _(
        "This is decision support from a provisional indicator catalogue. A trained officer decides the status."
    ),
}


def _dimension_label(code: str) -> str:
    try:
        return str(Dimension(code).label)
    except ValueError:
        return code


def render_item(item: dict) -> str:
    code = item.get("code", "")
    params = dict(item.get("params") or {})
    if "dimension" in params:
        params["dimension"] = _dimension_label(params["dimension"])
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def render(rationale: list[dict] | None) -> list[str]:
    return [render_item(item) for item in rationale or [] if isinstance(item, dict)]
