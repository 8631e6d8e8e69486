from django.shortcuts import render

from ctip.core.views_helpers import login_only

from .selectors import landing_cards, my_tasks, task_count


@login_only
def home(request):
    return render(
        request,
        "portal/home.html",
        {"cards": landing_cards(user=request.user), "task_total": task_count(user=request.user)},
    )


@login_only
def tasks(request):
    return render(request, "portal/tasks.html", {"tasks": my_tasks(user=request.user)})
