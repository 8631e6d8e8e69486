from django.shortcuts import render

from ctip.core.views_helpers import login_only

from .selectors import landing_cards


@login_only
def home(request):
    return render(request, "portal/home.html", {"cards": landing_cards(user=request.user)})
