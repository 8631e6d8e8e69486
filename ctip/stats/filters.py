"""The filters every statistics page, export and API endpoint takes: a year or a date range, a county, a sex, a
form of exploitation. One parser for all three, so a bad filter gets the same answer everywhere: the page shows
the form's errors, the API answers 400 {"code","message","fields"}."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.errors import ValidationFailed
from ctip.people.enums import Sex
from ctip.reference.selectors import htcds_values_cached

EXPLOITATION_FIELD = "vic_TypeOfExploitation"
FIRST_YEAR = 2000

FILTER_LABELS = {
    "year": gettext_lazy("Year"),
    "date_from": gettext_lazy("From"),
    "date_to": gettext_lazy("Until"),
    "county": gettext_lazy("County"),
    "sex": gettext_lazy("Sex"),
    "exploitation": gettext_lazy("Form of exploitation"),
}


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    county: str = ""  # the county's code (e.g. "047")
    sex: str = ""
    exploitation: str = ""
    year: int | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (for export links), without empty ones."""
        out = {
            "year": str(self.year) if self.year else "",
            "date_from": "" if self.year or not self.date_from else self.date_from.isoformat(),
            "date_to": "" if self.year or not self.date_to else self.date_to.isoformat(),
            "county": self.county,
            "sex": self.sex,
            "exploitation": self.exploitation,
        }
        return {k: v for k, v in out.items() if v}

    @property
    def is_empty(self) -> bool:
        return not self.as_query()


def _date(value: str, name: str, errors: dict) -> date | None:
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None
    if parsed.year < FIRST_YEAR or parsed > timezone.localdate():
        errors[name] = [_("Enter a date between 2000 and today.")]
        return None
    return parsed


def parse_filters(params, *, counties: dict[str, str]) -> Filters:
    """`params` is a QueryDict or a dict of strings; `counties` maps county codes to names (the choices).
    Raises ValidationFailed with the fields in error."""
    errors: dict[str, list[str]] = {}
    get = params.get
    year_text = (get("year") or "").strip()
    year = None
    if year_text:
        if not year_text.isdigit() or not FIRST_YEAR <= int(year_text) <= timezone.localdate().year:
            errors["year"] = [_("Enter a year between 2000 and this year.")]
        else:
            year = int(year_text)
    date_from = _date((get("date_from") or "").strip(), "date_from", errors)
    date_to = _date((get("date_to") or "").strip(), "date_to", errors)
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = [_("The end date is before the start date.")]
    if year and (date_from or date_to):
        errors["year"] = [_("Choose a year or a date range, not both.")]
    county = (get("county") or "").strip()
    if county and county not in counties:
        errors["county"] = [_("Choose a valid county.")]
    sex = (get("sex") or "").strip()
    if sex and sex not in Sex.values:
        errors["sex"] = [_("Choose a valid option.")]
    exploitation = (get("exploitation") or "").strip()
    if exploitation and exploitation not in dict(exploitation_choices()):
        errors["exploitation"] = [_("Choose a valid form of exploitation.")]
    if errors:
        raise ValidationFailed(_("Some filters are not valid."), fields=errors)
    if year:
        date_from, date_to = date(year, 1, 1), date(year, 12, 31)
    return Filters(date_from=date_from, date_to=date_to, county=county, sex=sex, exploitation=exploitation, year=year)


def exploitation_choices() -> list[tuple[str, str]]:
    """The HTCDS forms of exploitation (value name, label)."""
    return [(value, str(label)) for value, label in htcds_values_cached(EXPLOITATION_FIELD)]
