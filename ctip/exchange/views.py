"""The CTDC comparison page (statistics roles) and the loading of a CTDC file (reference keepers)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ctip.accounts.roles import Action
from ctip.core.disclosure import SMALL_CELL
from ctip.core.errors import PermissionDenied, ValidationFailed
from ctip.core.views_helpers import require_action
from ctip.people.enums import Sex
from ctip.reference.ctdc import MAX_BYTES
from ctip.reference.selectors import place_names
from ctip.reference.services import ctdc_load
from ctip.stats.filters import parse_filters
from ctip.stats.selectors import DASHBOARDS
from ctip.stats.services import stats_viewed

from .selectors import ctdc_comparison


class CtdcUploadForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Dataset name"), max_length=120)
    file = forms.FileField(label=gettext_lazy("CTDC victim-perpetrator file (CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 16 MB."))
        return upload


def _page(request, form, status=200):
    errors: dict = {}
    try:
        filters = parse_filters(request.GET, counties=place_names()["county"])
    except ValidationFailed as exc:
        filters, errors = None, exc.fields
    comparison = None
    if filters is not None:
        comparison = ctdc_comparison(user=request.user, filters=filters)
        stats_viewed(actor=request.user, dashboard="ctdc", filters=filters)
    return render(
        request,
        "exchange/ctdc.html",
        {
            "comparison": comparison,
            "errors": errors,
            "values": request.GET,
            "query": urlencode(filters.as_query()) if filters else "",
            "counties": sorted(place_names()["county"].items()),
            "sexes": Sex.choices,
            "small_cell": SMALL_CELL,
            "form": form,
            "can_load": request.user.can(Action.REFERENCE_MANAGE),
            "slug": "ctdc",
            "dashboards": [(slug, title) for slug, (title, _figures) in DASHBOARDS.items()],
        },
        status=400 if errors else status,
    )


@require_action(Action.STATS_VIEW)
def ctdc(request):
    return _page(request, CtdcUploadForm() if request.user.can(Action.REFERENCE_MANAGE) else None)


@require_action(Action.STATS_VIEW)
@require_action(Action.REFERENCE_MANAGE)
@require_http_methods(["POST"])
def ctdc_upload(request):
    form = CtdcUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            dataset = ctdc_load(
                actor=request.user, content=form.cleaned_data["file"].read(), name=form.cleaned_data["name"]
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied from exc
        except ValidationFailed as exc:
            form.add_error(None, exc.message)
            for where, problems in list((exc.fields or {}).items())[:50]:
                if where in form.fields:
                    for p in problems:
                        form.add_error(where, p)
                else:
                    form.add_error(None, f"{where}: " + "; ".join(str(p) for p in problems))
        else:
            messages.success(
                request, _("Loaded %(n)s rows as %(name)s.") % {"n": f"{dataset.row_count:,}", "name": dataset.name}
            )
            return redirect("exchange:ctdc")
    return _page(request, form, status=400)
