from django.db import models
from django.utils.translation import gettext_lazy as _


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
