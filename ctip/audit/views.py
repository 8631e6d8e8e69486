from __future__ import annotations

import json

from django import forms
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.spreadsheets import Echo, csv_writer
from ctip.core.views_helpers import paginate, query_without_page, require_action

from . import catalogue, lookups, selectors
from .services import audit_record


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None, choices=())
    record = forms.CharField(
        label=_("Case, referral, file or tip number, or record id"),
        required=False,
        max_length=64,
        help_text=_("A case number also finds the events on its person (who opened the identity)."),
    )
    action = forms.ChoiceField(label=_("Event"), required=False, choices=catalogue.filter_choices)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Any")), *lookups.agency_choices()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("'To' is before 'From'."))
        return data


def _filtered(request, form):
    data = form.cleaned_data if form.is_valid() else {}
    actor_id = None
    if data.get("user"):
        actor_id = selectors.actor_id_for_username(data["user"]) or -1
    return selectors.audit_events_for_user(
        user=request.user,
        actor_id=actor_id,
        agency_id=data.get("agency"),
        target_id=data.get("record") or "",
        action=data.get("action") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )


@require_action("audit.view")
def event_list(request):
    form = AuditFilterForm(request.GET or None)
    qs = (
        _filtered(request, form)
        if (form.is_valid() or not form.is_bound)
        else selectors.audit_events_for_user(user=request.user).none()
    )
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": paginate(request, qs.select_related("actor"), per_page=50),
            "query": query_without_page(request),
            "can_export": request.user.can("audit.export"),
        },
    )


@require_action("audit.export")
def event_export(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/event_list.html", {"form": form, "page": None}, status=400)
    qs = _filtered(request, form) if form.is_bound else selectors.audit_events_for_user(user=request.user)
    audit_record(
        actor=request.user,
        action="audit.export",
        changes={"filters": {k: str(v) for k, v in (form.cleaned_data.items() if form.is_bound else []) if v}},
    )
    writer = csv_writer(Echo())
    header = [
        "seq",
        "time",
        "user",
        "agency",
        "action",
        "record_type",
        "record_id",
        "ip",
        "channel",
        "reason",
        "changes",
        "hash",
    ]

    def rows():
        yield writer.writerow(header)
        for e in qs.order_by("id").iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.seq,
                    timezone.localtime(e.occurred_at).isoformat(),  # with its offset (+03:00)
                    e.actor_label,
                    e.agency_id or "",
                    e.action,
                    e.target_type,
                    e.target_id,
                    e.ip or "",
                    e.channel,
                    e.reason,
                    json.dumps(e.changes, ensure_ascii=False, sort_keys=True) if e.changes else "",
                    e.hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ctip-audit.csv"'
    return response
