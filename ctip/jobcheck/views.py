"""Officers' pages of the job-offer risk check: the check (the same as the public one, for someone on the phone
or at a desk) and the rule sets: list with the counts of checks, a new draft, the editor, review and publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts.access import may
from ctip.accounts.roles import Action
from ctip.core.errors import ServiceError
from ctip.core.views_helpers import apply_service_error, require_action

from . import selectors, services
from .enums import Channel, RuleSetStatus
from .forms import DraftForm, ReturnForm, RuleSetForm, VersionForm
from .public import check_view


@require_action(Action.JOBCHECK_USE)
@require_http_methods(["GET", "POST"])
def officer_check(request):
    return check_view(
        request,
        template="jobcheck/check_officer.html",
        channel=Channel.OFFICER,
        limit=None,
        extra={
            "can_rules": request.user.can(Action.JOBCHECK_RULES_EDIT),
            "can_complain": request.user.can(Action.COMPLAINT_FILE),
        },
    )


@require_action(Action.JOBCHECK_RULES_EDIT)
def ruleset_list(request):
    return render(
        request,
        "jobcheck/ruleset_list.html",
        {
            "rulesets": list(selectors.ruleset_list_for_user(user=request.user)[:200]),
            "tallies": selectors.tallies_for_user(user=request.user),
            "draft_form": DraftForm(),
        },
    )


@require_action(Action.JOBCHECK_RULES_EDIT)
@require_http_methods(["POST"])
def ruleset_draft(request):
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            draft = services.ruleset_draft(actor=request.user, note=form.cleaned_data["note"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("New draft v%(n)s made from the rules in use.") % {"n": draft.number})
            return redirect("jobcheck:ruleset", public_id=draft.public_id)
    return redirect("jobcheck:rulesets")


def _detail(request, ruleset, *, edit_form=None, return_form=None, status=200):
    editable = ruleset.status == RuleSetStatus.DRAFT
    reviewing = ruleset.status == RuleSetStatus.IN_REVIEW
    can_publish = (
        reviewing and may(request.user, Action.JOBCHECK_RULES_PUBLISH) and ruleset.submitted_by_id != request.user.pk
    )
    if editable and edit_form is None:
        edit_form = RuleSetForm(
            initial={"source_text": ruleset.source_text, "note": ruleset.note, "version": ruleset.version}
        )
    if can_publish and return_form is None:
        return_form = ReturnForm(initial={"version": ruleset.version})
    return render(
        request,
        "jobcheck/ruleset_detail.html",
        {
            "ruleset": ruleset,
            "rules": ruleset.document.get("rules", []),
            "edit_form": edit_form if editable else None,
            "version_form": VersionForm(initial={"version": ruleset.version}),
            "can_publish": can_publish,
            "return_form": return_form,
            "awaiting_other": reviewing and ruleset.submitted_by_id == request.user.pk,
        },
        status=status,
    )


@require_action(Action.JOBCHECK_RULES_EDIT)
def ruleset_detail(request, public_id):
    return _detail(request, selectors.ruleset_get_for_user(user=request.user, public_id=public_id))


@require_action(Action.JOBCHECK_RULES_EDIT)
@require_http_methods(["POST"])
def ruleset_edit(request, public_id):
    ruleset = selectors.ruleset_get_for_user(user=request.user, public_id=public_id)
    form = RuleSetForm(request.POST)
    if form.is_valid():
        try:
            services.ruleset_edit(
                actor=request.user,
                ruleset=ruleset,
                source_text=form.cleaned_data["source_text"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
            return _detail(request, ruleset, edit_form=form, status=exc.status)
        messages.success(request, _("Draft saved."))
        return redirect("jobcheck:ruleset", public_id=ruleset.public_id)
    return _detail(request, ruleset, edit_form=form, status=400)


def _step(request, public_id, step, done: str):
    ruleset = selectors.ruleset_get_for_user(user=request.user, public_id=public_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("jobcheck:ruleset", public_id=ruleset.public_id)
    try:
        step(actor=request.user, ruleset=ruleset, expected_version=form.cleaned_data["version"])
    except ServiceError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied(exc.message) from exc
        messages.error(request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]]))
    else:
        messages.success(request, done)
    return redirect("jobcheck:ruleset", public_id=ruleset.public_id)


@require_action(Action.JOBCHECK_RULES_EDIT)
@require_http_methods(["POST"])
def ruleset_submit(request, public_id):
    return _step(request, public_id, services.ruleset_submit, _("Sent for review."))


@require_action(Action.JOBCHECK_RULES_PUBLISH)
@require_http_methods(["POST"])
def ruleset_publish(request, public_id):
    return _step(request, public_id, services.ruleset_publish, _("Published: checks use it now."))


@require_action(Action.JOBCHECK_RULES_PUBLISH)
@require_http_methods(["POST"])
def ruleset_return(request, public_id):
    ruleset = selectors.ruleset_get_for_user(user=request.user, public_id=public_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.ruleset_return(
                actor=request.user,
                ruleset=ruleset,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ServiceError as exc:
            if exc.status == 403:
                raise DjangoPermissionDenied(exc.message) from exc
            apply_service_error(form, exc)
            return _detail(request, ruleset, return_form=form, status=exc.status)
        messages.success(request, _("Returned to draft."))
        return redirect("jobcheck:ruleset", public_id=ruleset.public_id)
    return _detail(request, ruleset, return_form=form, status=400)
