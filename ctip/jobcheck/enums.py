"""Choices of the job-offer risk check: what the job seeker answers (labels shown, codes kept), the rule-set
workflow and the channels counted."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic work (house help, nanny)")
    DRIVER = "driver", _("Driver")
    SECURITY = "security", _("Security guard")
    CONSTRUCTION = "construction", _("Construction")
    HOSPITALITY = "hospitality", _("Hotel, restaurant, cleaning")
    CARE = "care", _("Care worker, nurse aide")
    FACTORY = "factory", _("Factory or warehouse")
    FARM = "farm", _("Farm work")
    SALES_ONLINE = "sales_online", _("Customer service, sales, data entry, crypto, online work")
    TEACHING = "teaching", _("Teaching")
    OTHER = "other", _("Other")


class FeeTo(models.TextChoices):
    NONE = "none", _("No fee asked")
    AGENCY = "agency", _("To an agency")
    INDIVIDUAL = "individual", _("To a person (an agent, a friend, an M-Pesa number)")
    EMPLOYER = "employer", _("To the employer")


class Visa(models.TextChoices):
    WORK = "work", _("Work visa")
    TOURIST = "tourist", _("Tourist or visit visa")
    STUDENT = "student", _("Student visa")
    NONE_UNKNOWN = "none_unknown", _("None, or I do not know")


class Contact(models.TextChoices):
    SOCIAL_MEDIA = "social_media", _("Social media (Facebook, TikTok, Telegram...)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    FRIEND = "friend", _("A friend or relative")
    AGENCY_OFFICE = "agency_office", _("At an agency's office")
    ADVERT = "advert", _("An advert (newspaper, poster, radio)")


class Document(models.TextChoices):
    PASSPORT = "passport", _("My passport")
    ID_CARD = "id_card", _("My national ID card")
    CERTIFICATES = "certificates", _("My certificates")
    ATM_CARD = "atm_card", _("My bank or ATM card")


class Departure(models.TextChoices):
    DAYS = "days", _("Within a week")
    WEEKS = "weeks", _("Within a month")
    MONTHS = "months", _("In more than a month")
    UNKNOWN = "unknown", _("I do not know")


class Period(models.TextChoices):
    MONTH = "month", _("per month")
    WEEK = "week", _("per week")
    DAY = "day", _("per day")
    HOUR = "hour", _("per hour")
    YEAR = "year", _("per year")


class Level(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published (in use)")
    RETIRED = "retired", _("Retired (was in use)")


class Channel(models.TextChoices):
    PAGE = "page", _("Public page")
    API = "api", _("Public API")
    OFFICER = "officer", _("Officer page")


CURRENCIES = (
    "KES",
    "USD",
    "EUR",
    "GBP",
    "SAR",
    "AED",
    "QAR",
    "KWD",
    "OMR",
    "BHD",
    "THB",
    "RUB",
    "CAD",
    "AUD",
    "JPY",
    "PLN",
)
CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]
