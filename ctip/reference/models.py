import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Dimension, IndicatorList, Statute, Strength  # noqa: F401 (choices, re-exported)


class County(models.Model):
    """Kenya's 47 counties with their official codes (001 Mombasa ... 047 Nairobi)."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    """ISO 3166-1 countries, from pycountry."""

    alpha2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class HtcdsValue(models.Model):
    """One value of an HTCDS v2.0 picklist, with its exact value name (used in exports) and label."""

    field = models.CharField(_("HTCDS field"), max_length=60, db_index=True)
    field_label = models.CharField(_("field label"), max_length=120)
    section = models.CharField(_("section"), max_length=60)
    name = models.CharField(_("value name"), max_length=80)
    label = models.CharField(_("value label"), max_length=160)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["field", "position"]
        verbose_name = _("HTCDS value")
        verbose_name_plural = _("HTCDS values")
        constraints = [models.UniqueConstraint(fields=["field", "name"], name="htcds_value_unique")]

    def __str__(self) -> str:
        return f"{self.field}={self.name}"


class Offence(models.Model):
    """An offence a charge can cite: the CTIP Act s.3-s.10 and the related offences courts use."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    statute = models.CharField(_("statute"), max_length=24, choices=Statute.choices)
    section = models.CharField(_("section"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    penalty = models.TextField(_("penalty"))
    min_years = models.PositiveSmallIntegerField(_("minimum imprisonment (years)"), null=True, blank=True)
    min_fine_kes = models.PositiveBigIntegerField(_("minimum fine (KSh)"), null=True, blank=True)
    life_on_subsequent = models.BooleanField(_("life imprisonment on a subsequent conviction"), default=False)
    # False until someone compares the summary with the official text on Kenya Law (shown in the UI).
    penalty_checked = models.BooleanField(_("penalty checked against the official text"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        constraints = [models.CheckConstraint(condition=models.Q(statute__in=Statute.values), name="offence_statute")]

    def __str__(self) -> str:
        return f"{self.get_statute_display()} s.{self.section}"

    @property
    def is_ctip_act(self) -> bool:
        return self.statute == Statute.CTIP_ACT


class Indicator(models.Model):
    """An ILO-EC "Delphi" operational indicator of trafficking. The catalogue is provisional (see
    ctip/reference/data/README.md): national coordinators can correct wording and strength (audited, versioned)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    indicator_list = models.CharField(_("list"), max_length=20, choices=IndicatorList.choices)
    dimension = models.CharField(_("dimension"), max_length=40, choices=Dimension.choices)
    strength = models.CharField(_("strength"), max_length=6, choices=Strength.choices)
    text = models.CharField(_("indicator"), max_length=200)
    text_sw = models.CharField(_("indicator (Kiswahili)"), max_length=240, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)  # who changed it and how: the audit trail

    class Meta:
        ordering = ["indicator_list", "position"]
        verbose_name = _("trafficking indicator")
        verbose_name_plural = _("trafficking indicators")
        constraints = [
            models.CheckConstraint(condition=models.Q(strength__in=Strength.values), name="indicator_strength"),
            models.CheckConstraint(condition=models.Q(dimension__in=Dimension.values), name="indicator_dimension"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class CtdcGeneration(models.TextChoices):
    """The CTDC releases CTIP reads (ctip/reference/ctdc.py detect_generation)."""

    VP2022 = "vp2022", _("Global Victim-Perpetrator Synthetic Dataset (2022)")
    GLOBAL2017 = "global2017", _("Global Dataset, k-anonymised (2017-2020)")
    SYNTHETIC2024 = "synthetic2024", _("Global Synthetic Dataset (2024)")


class CtdcDataset(models.Model):
    """One load of the CTDC Global Victim-Perpetrator Synthetic Dataset (ctip/reference/ctdc.py): reference data for
    comparison with Kenya's figures, never case records. Each load is kept; the latest is the one compared."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("dataset name"), max_length=120)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    # which CTDC release the file is (ctip/reference/ctdc.py detect_generation): vp2022, global2017, synthetic2024
    generation = models.CharField(
        _("CTDC generation"), max_length=20, choices=CtdcGeneration.choices, default=CtdcGeneration.VP2022
    )
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("CTDC dataset")

    def __str__(self) -> str:
        return self.name


class CtdcRecord(models.Model):
    """One row of a CTDC dataset, as published (empty text = missing; flags as booleans)."""

    dataset = models.ForeignKey(CtdcDataset, on_delete=models.CASCADE, related_name="records")
    year_register = models.CharField(max_length=9, blank=True)  # "2019" or "2014-2018"
    gender = models.CharField(max_length=8, blank=True)
    majority_status = models.CharField(max_length=8, blank=True)
    forced_labour = models.BooleanField(default=False)
    sexual_exploitation = models.BooleanField(default=False)
    coo_region = models.CharField(max_length=20, blank=True)
    coe_region = models.CharField(max_length=20, blank=True)
    ip_exploiter = models.BooleanField(default=False)
    ip_gender = models.CharField(max_length=20, blank=True)
    ip_age = models.CharField(max_length=40, blank=True)
    ip_citizen_region = models.CharField(max_length=80, blank=True)
    ip_relation = models.CharField(max_length=80, blank=True)
    ip_pay_money = models.CharField(max_length=10, blank=True)
    ip_recruiter_broker = models.BooleanField(default=False)
    ip_transaction_process = models.BooleanField(default=False)
    ip_control_abuse_kidnap = models.BooleanField(default=False)
    # normalised across the CTDC generations (2017-20 Global Dataset, 2022 victim-perpetrator, 2024 synthetic)
    generation = models.CharField(max_length=20, default="vp2022")
    age_band = models.CharField(max_length=8, blank=True)  # CTDC band, "30--38"
    citizenship = models.CharField(max_length=2, blank=True)  # ISO alpha-2
    country_of_exploitation = models.CharField(max_length=2, blank=True)  # ISO alpha-2
    other_exploitation = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["dataset", "coo_region"], name="ctdc_dataset_region")]
