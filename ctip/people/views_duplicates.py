"""Duplicate review: the queue the batch matcher fills, side-by-side comparison, merge, not-the-same, unmerge."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ctip.accounts.roles import Action
from ctip.core.errors import NotFound, ServiceError
from ctip.core.views_helpers import apply_service_error, paginate, require_action

from . import matching_store, selectors, services
from .models import ConfirmationStatus


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


@require_action(Action.PERSON_MERGE)
def duplicate_list(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "merged", "not_duplicate"):
        status = "open"
    page = paginate(request, selectors.duplicate_queue_for_user(user=request.user, status=status))
    persons = [p for d in page.object_list for p in (d.person_a, d.person_b)]
    names = selectors.person_names_for_user(user=request.user, persons=persons, purpose="duplicates")
    rows = [
        (d, names.get(d.person_a_id), names.get(d.person_b_id), [matching_store.reason_text(r) for r in d.reasons])
        for d in page.object_list
    ]
    inbox = selectors.confirmation_inbox_for_user(user=request.user)
    return render(
        request,
        "people/duplicate_list.html",
        {"rows": rows, "page": page, "status": status, "query": "", "inbox": inbox},
    )


@require_action(Action.PERSON_MERGE)
@require_http_methods(["GET", "POST"])
def duplicate_review(request, public_id):
    try:
        candidate = selectors.duplicate_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision", "")
        actions = {
            "merge_b_into_a": lambda r: services.person_merge(
                actor=request.user, keep=candidate.person_a, merge=candidate.person_b, reason=r
            ),
            "merge_a_into_b": lambda r: services.person_merge(
                actor=request.user, keep=candidate.person_b, merge=candidate.person_a, reason=r
            ),
            "not_duplicate": lambda r: services.duplicate_dismiss(actor=request.user, candidate=candidate, reason=r),
        }
        if decision not in actions:
            form.add_error(None, _("Choose what to do with this pair."))
        else:
            try:
                actions[decision](form.cleaned_data["reason"])
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                if decision == "not_duplicate":
                    messages.success(request, _("Review recorded."))
                    return redirect("people:duplicates")
                messages.success(request, _("Merged. You can undo the merge on this page."))
                return redirect("people:duplicate_review", public_id=candidate.public_id)
    sides = []
    for person in (candidate.person_a, candidate.person_b):
        identity = None
        if request.user.can(Action.PERSON_VIEW_IDENTITY):
            try:
                identity = selectors.person_identity_for_user(
                    user=request.user, person=person, purpose="duplicate_review"
                )
            except ServiceError:
                identity = None
        sides.append((person, identity))
    return render(
        request,
        "people/duplicate_review.html",
        {
            "candidate": candidate,
            "sides": sides,
            "reasons": [matching_store.reason_text(r) for r in candidate.reasons],
            "form": form,
            "agreement": selectors.duplicate_agreement_for_user(user=request.user, candidate=candidate),
            "confirmations": selectors.confirmations_of_pair(candidate=candidate),
            "can_ask": candidate.status == "open" and any(identity is None for _person, identity in sides),
            "merged": _merged_side(candidate),
        },
    )


def _merged_side(candidate):
    """(merged person, person kept) when one of the pair is merged into the other (the undo form's target)."""
    a, b = candidate.person_a, candidate.person_b
    if a.merged_into_id == b.pk:
        return a, b
    if b.merged_into_id == a.pk:
        return b, a
    return None


@require_action(Action.PERSON_MERGE)
@require_http_methods(["POST"])
def duplicate_ask_owner(request, public_id):
    """Ask the agency owning the side the reviewer cannot see to confirm whether the pair is one person."""
    try:
        candidate = selectors.duplicate_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.duplicate_confirmation_request(actor=request.user, candidate=candidate)
    except ServiceError as exc:
        messages.error(request, " ".join(m for ms in exc.fields.values() for m in ms) or exc.message)
    else:
        messages.success(request, _("The owning agency was asked to confirm."))
    return redirect("people:duplicate_review", public_id=candidate.public_id)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Is this the same person?"),
        choices=[
            (ConfirmationStatus.SAME, ConfirmationStatus.SAME.label),
            (ConfirmationStatus.NOT_SAME, ConfirmationStatus.NOT_SAME.label),
        ],
        widget=forms.RadioSelect,
    )


@require_action(Action.PERSON_MERGE)
@require_http_methods(["GET", "POST"])
def confirmation_answer(request, public_id):
    """The owning agency's page for a confirmation request: its own record, the field-by-field agreement with the
    other record (no values of it), and the answer."""
    try:
        confirmation = selectors.confirmation_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.duplicate_confirmation_answer(
                    actor=request.user, confirmation=confirmation, answer=form.cleaned_data["answer"]
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Your answer was sent to the reviewer."))
                return redirect("people:duplicates")
        else:
            status = 400
    candidate = confirmation.candidate
    other = candidate.person_b if confirmation.person.pk == candidate.person_a_id else candidate.person_a
    return render(
        request,
        "people/confirmation_answer.html",
        {
            "confirmation": confirmation,
            "own": confirmation.person,
            "other": other,
            "agreement": selectors.duplicate_agreement_for_user(user=request.user, candidate=candidate),
            "form": form,
        },
        status=status,
    )


@require_action(Action.PERSON_MERGE)
@require_http_methods(["POST"])
def person_unmerge(request, public_id):
    person, _access = selectors.person_get_for_user(user=request.user, public_id=public_id, action=Action.PERSON_MERGE)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the merge is undone."))
        return redirect("people:detail", public_id=public_id)
    try:
        services.person_unmerge(actor=request.user, person=person, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The merge was undone."))
    return redirect("people:detail", public_id=public_id)
