from django.shortcuts import render

from ctip.accounts.roles import Action
from ctip.core.views_helpers import require_action

from . import selectors


@require_action(Action.REFERENCE_VIEW)
def index(request):
    return render(
        request,
        "reference/index.html",
        {
            "counties": selectors.county_list(),
            "countries": selectors.country_list(),
        },
    )
