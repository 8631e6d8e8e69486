"""Choices of the reference catalogues (statutes, indicator lists, dimensions, strengths), apart from the models so
screens and API modules of other apps can use them without importing reference models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Statute(models.TextChoices):
    CTIP_ACT = "ctip_act", _("Counter-Trafficking in Persons Act, 2010")
    PENAL_CODE = "penal_code", _("Penal Code (Cap. 63)")
    SEXUAL_OFFENCES = "sexual_offences", _("Sexual Offences Act, 2006")
    IMMIGRATION = "immigration", _("Kenya Citizenship and Immigration Act, 2011")
    LABOUR_INSTITUTIONS = "labour_institutions", _("Labour Institutions Act, 2007")
    EMPLOYMENT = "employment", _("Employment Act, 2007")
    CHILDREN = "children", _("Children Act, 2022")


class IndicatorList(models.TextChoices):
    ADULT_LABOUR = "adult_labour", _("Adults, labour exploitation")
    CHILD_LABOUR = "child_labour", _("Children, labour exploitation")
    ADULT_SEXUAL = "adult_sexual", _("Adults, sexual exploitation")
    CHILD_SEXUAL = "child_sexual", _("Children, sexual exploitation")


class Dimension(models.TextChoices):
    DECEPTIVE_RECRUITMENT = "deceptive_recruitment", _("Deceptive recruitment")
    COERCIVE_RECRUITMENT = "coercive_recruitment", _("Coercive recruitment")
    RECRUITMENT_ABUSE = "recruitment_abuse_of_vulnerability", _("Recruitment by abuse of vulnerability")
    EXPLOITATIVE_CONDITIONS = "exploitative_conditions", _("Exploitative conditions of work")
    COERCION_AT_DESTINATION = "coercion_at_destination", _("Coercion at destination")
    DESTINATION_ABUSE = "abuse_of_vulnerability_at_destination", _("Abuse of vulnerability at destination")


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    MEDIUM = "medium", _("Medium")
    WEAK = "weak", _("Weak")
