from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from ctip.core.views_helpers import login_only

from . import selectors, services


@login_only
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    return render(
        request,
        "notifications/inbox.html",
        {
            "items": selectors.notifications_for_user(user=request.user, unread_only=unread_only, limit=100),
            "unread_only": unread_only,
        },
    )


@login_only
@require_http_methods(["POST"])
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    services.notification_mark_read(actor=request.user, notification_ids=ids or None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")
