from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentifierKind(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID number")
    PASSPORT = "passport", _("Passport number")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    KRA_PIN = "kra_pin", _("KRA PIN")
    OTHER = "other", _("Other document")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    UNKNOWN = "unknown", _("Unknown")


class Gender(models.TextChoices):
    """HTCDS v2.0 prs_Gender value names."""

    FEMININE = "Feminine", _("Feminine")
    MASCULINE = "Masculine", _("Masculine")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender feminine")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender masculine")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    NON_SPECIFIED_UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")
