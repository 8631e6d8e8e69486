"""Attachment pages: a case's files (a tab of the case page), uploads to a person (from the person page's
panel), the download and the removal. Form -> service or selector -> page; access through the chokepoint."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts.access import may
from ctip.accounts.roles import Action
from ctip.cases import selectors as case_selectors
from ctip.cases.enums import CaseSection
from ctip.cases.views.core import case_context
from ctip.core.errors import ServiceError
from ctip.core.views_helpers import apply_service_error, login_only, require_action
from ctip.people import selectors as people_selectors

from . import selectors, services
from .forms import CaseAttachmentForm, PersonAttachmentForm, RemoveForm

TAB = "attachments:case"


def _upload_of(form) -> services.Upload:
    upload = form.cleaned_data["file"]
    return services.Upload(content=upload.read(), name=upload.name or "")


def _case_upload_sections(user, case, access) -> list[str]:
    """The sections the user may file under: the owner side's edit right on the section; identity only where the
    person's identity is visible to the user."""
    if not user.can(Action.CASE_EDIT):
        return []
    visible = selectors.case_sections_for_user(user=user, case=case, access=access)
    return [
        s for s in CaseSection.values if s in visible and may(user, Action.CASE_EDIT, case, section=s, owner_side=True)
    ]


@require_action(Action.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def case_attachments(request, case_id):
    case, access = case_selectors.case_get_for_user(user=request.user, public_id=case_id)
    upload_sections = _case_upload_sections(request.user, case, access)
    status = 200
    if request.method == "POST":
        if not upload_sections:
            raise DjangoPermissionDenied
        form = CaseAttachmentForm(request.POST, request.FILES, sections=upload_sections)
        if form.is_valid():
            try:
                services.attachment_add_to_case(
                    actor=request.user,
                    case=case,
                    section=form.cleaned_data["section"],
                    category=form.cleaned_data["category"],
                    upload=_upload_of(form),
                    description=form.cleaned_data["description"],
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("File attached."))
                return redirect("attachments:case", case_id=case.public_id)
        status = 400
    else:
        form = CaseAttachmentForm(sections=upload_sections) if upload_sections else None
    attachments = selectors.case_attachments_for_user(user=request.user, case=case, access=access)
    descriptions = selectors.descriptions_for_user(user=request.user, attachments=attachments, purpose="case_page")
    supervisor = may(request.user, Action.ATTACHMENT_REMOVE, case, owner_side=True)
    labels = dict(CaseSection.choices)
    rows = [
        {
            "attachment": a,
            "section": labels.get(a.section, a.section),
            "description": descriptions.get(a.pk, ""),
            "can_remove": supervisor or (a.created_by_id == request.user.pk and a.section in upload_sections),
        }
        for a in attachments
    ]
    context = case_context(request, case, access, TAB)
    context.update({"rows": rows, "form": form})
    return render(request, "attachments/case_attachments.html", context, status=status)


@require_action(Action.PERSON_EDIT)
@require_http_methods(["POST"])
def person_upload(request, person_id):
    person, _access = people_selectors.person_get_for_user(
        user=request.user, public_id=person_id, action=Action.PERSON_EDIT
    )
    form = PersonAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add_to_person(
                actor=request.user,
                person=person,
                category=form.cleaned_data["category"],
                upload=_upload_of(form),
                description=form.cleaned_data["description"],
            )
        except ServiceError as exc:
            if exc.status == 403:
                raise
            apply_service_error(form, exc)
        else:
            messages.success(request, _("File attached."))
            return redirect("people:detail", public_id=person.public_id)
    for errors in [form.non_field_errors(), *(f.errors for f in form)]:
        for error in errors:
            messages.error(request, error)
    return redirect("people:detail", public_id=person.public_id)


@login_only
def download(request, attachment_id):
    attachment, content = selectors.attachment_open_for_user(user=request.user, public_id=attachment_id)
    response = HttpResponse(content, content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{attachment.download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private, max-age=0"
    response["Pragma"] = "no-cache"
    return response


@login_only
@require_http_methods(["GET", "POST"])
def remove(request, attachment_id):
    attachment = selectors.attachment_get_for_user(user=request.user, public_id=attachment_id)
    if not services.may_remove(request.user, attachment):
        raise DjangoPermissionDenied
    back = (
        reverse("attachments:case", kwargs={"case_id": attachment.case.public_id})
        if attachment.case_id
        else reverse("people:detail", kwargs={"public_id": attachment.person.public_id})
    )
    status = 200
    if request.method == "POST":
        form = RemoveForm(request.POST)
        if form.is_valid():
            try:
                services.attachment_remove(
                    actor=request.user,
                    attachment=attachment,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Attachment removed."))
                return redirect(back)
        status = 400
    else:
        form = RemoveForm(initial={"version": attachment.version})
    return render(
        request,
        "attachments/remove.html",
        {"attachment": attachment, "form": form, "back": back},
        status=status,
    )
