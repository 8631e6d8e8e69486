from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts.roles import Action
from ctip.core.errors import ServiceError
from ctip.core.views_helpers import apply_service_error, require_action

from . import selectors, services
from .forms import IndicatorForm
from .models import Dimension, IndicatorList, Statute

SECTIONS = ("counties", "htcds", "offences", "indicators", "countries")


@require_action(Action.REFERENCE_VIEW)
def index(request):
    section = request.GET.get("section", "counties")
    if section not in SECTIONS:
        section = "counties"
    context = {"section": section, "can_manage": request.user.can(Action.REFERENCE_MANAGE)}
    if section == "counties":
        context["counties"] = selectors.county_list()
    elif section == "countries":
        context["countries"] = selectors.country_list()
    elif section == "htcds":
        fields = selectors.htcds_fields()
        chosen = request.GET.get("field") or (fields[0][0] if fields else "")
        context.update(fields=fields, field=chosen, values=selectors.htcds_values(chosen))
    elif section == "offences":
        context["statutes"] = [(label, list(selectors.offence_list(value))) for value, label in Statute.choices]
    else:
        chosen = request.GET.get("list", IndicatorList.ADULT_LABOUR)
        if chosen not in IndicatorList.values:
            chosen = IndicatorList.ADULT_LABOUR
        rows = list(selectors.indicator_list(chosen))
        context.update(
            lists=IndicatorList.choices,
            list=chosen,
            dimensions=[(label, [r for r in rows if r.dimension == value]) for value, label in Dimension.choices],
        )
    return render(request, "reference/index.html", context)


@require_action(Action.REFERENCE_MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, code):
    indicator = selectors.indicator_get(code)
    if indicator is None:
        raise Http404
    initial = {k: getattr(indicator, k) for k in ("version", "text", "text_sw", "strength", "is_active")}
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.indicator_update(
                actor=request.user,
                indicator=indicator,
                expected_version=data.pop("version"),
                reason=data.pop("reason"),
                **data,
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect(f"{reverse('reference:index')}?section=indicators&list={indicator.indicator_list}")
    return render(request, "reference/indicator_form.html", {"form": form, "indicator": indicator})
