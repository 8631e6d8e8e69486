from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts import selectors as account_selectors
from ctip.accounts import services as account_services
from ctip.accounts.access import may, require
from ctip.accounts.forms import BreakGlassForm
from ctip.accounts.roles import Action
from ctip.core.errors import NotFound, ServiceError, ValidationFailed
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action

from . import selectors, services
from .forms import SERVICE_FIELD_MAP, IdentifierSearchForm, PersonForm


def _remap(exc: ServiceError) -> ServiceError:
    if isinstance(exc, ValidationFailed):
        exc.fields = {SERVICE_FIELD_MAP.get(k, k): v for k, v in exc.fields.items()}
    return exc


@require_action(Action.PERSON_VIEW)
@require_http_methods(["GET", "POST"])
def person_list(request):
    # Identifier searches are POSTed: an ID or phone number must never appear in a URL or an access log.
    search = IdentifierSearchForm(request.POST if request.method == "POST" else None)
    if search.is_bound and search.is_valid():
        rows = selectors.person_find_by_identifier(
            user=request.user, kind=search.cleaned_data["kind"], value=search.cleaned_data["value"]
        )
        page = None
    else:
        agency = request.GET.get("agency", "")
        agency_id = None
        if agency:
            try:
                agency_id = account_selectors.agency_get(public_id=agency).pk
            except NotFound:
                agency_id = None
        page = paginate(request, selectors.person_list_for_user(user=request.user, agency_id=agency_id))
        rows = page.object_list
    names = selectors.person_names_for_user(user=request.user, persons=rows)
    return render(
        request,
        "people/person_list.html",
        {
            "rows": [(p, names.get(p.pk)) for p in rows],
            "page": page,
            "search": search,
            "query": query_without_page(request),
            "can_create": request.user.can(Action.PERSON_CREATE),
            "agencies": account_selectors.agency_list(active_only=True)
            if request.user.scope(Action.PERSON_VIEW) == "national"
            else [],
        },
    )


@require_action(Action.PERSON_CREATE)
@require_http_methods(["GET", "POST"])
def person_create(request):
    """Register a person. Before anything is saved CTIP looks for persons who may be the same one; when it finds
    some, the officer opens the existing person or confirms that this is a new one (confirm_new)."""
    form = PersonForm(request.POST or None)
    candidates = None
    if request.method == "POST" and form.is_valid():
        choice = services.PersonChoice(identity=form.to_identity(), confirm_new=request.POST.get("confirm_new") == "1")
        try:
            outcome = services.person_register_or_link(actor=request.user, choice=choice)
        except ServiceError as exc:
            apply_service_error(form, _remap(exc))
        else:
            if outcome.person is not None:
                messages.success(request, _("Person registered."))
                return redirect("people:detail", public_id=outcome.person.public_id)
            candidates = outcome.candidates
    return render(request, "people/person_form.html", {"form": form, "creating": True, "candidates": candidates})


@require_action(Action.PERSON_VIEW)
def person_detail(request, public_id):
    try:
        person, access = selectors.person_get_for_user(user=request.user, public_id=public_id)
    except NotFound:
        # Outside the user's scope: offer break-the-glass only if the record exists and the role allows it.
        # The response is the same page whether or not the id exists, so ids cannot be probed.
        if request.user.can(Action.BREAKGLASS_USE):
            return render(
                request,
                "people/person_restricted.html",
                {"public_id": public_id, "form": BreakGlassForm()},
                status=403,
            )
        raise Http404 from None
    identity = None
    if may(request.user, Action.PERSON_VIEW_IDENTITY, person):
        identity = selectors.person_identity_for_user(user=request.user, person=person, purpose="detail")
    can_edit = may(request.user, Action.PERSON_EDIT, person, owner_side=True)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "identity": identity,
            "access": access,
            "can_edit": can_edit,
            "can_merge": may(request.user, Action.PERSON_MERGE, person, owner_side=True),
            "photos": selectors.person_photos(person=person) if identity else [],
        },
    )


@require_action(Action.BREAKGLASS_USE)
@require_http_methods(["POST"])
def person_break_glass(request, public_id):
    form = BreakGlassForm(request.POST)
    exists = selectors.person_exists(public_id=public_id)
    if form.is_valid() and exists:
        account_services.breakglass_open(
            actor=request.user,
            target_type="people.person",
            target_id=public_id,
            reason=form.cleaned_data["reason"],
        )
        messages.warning(request, _("Access granted for 4 hours. It is logged and will be reviewed."))
        return redirect("people:detail", public_id=public_id)
    if not exists and form.is_valid():
        raise Http404
    return render(request, "people/person_restricted.html", {"public_id": public_id, "form": form}, status=400)


@require_action(Action.PERSON_EDIT)
@require_http_methods(["GET", "POST"])
def person_edit(request, public_id):
    person, _access = selectors.person_get_for_user(user=request.user, public_id=public_id, action=Action.PERSON_EDIT)
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                services.person_update_identity(
                    actor=request.user,
                    person=person,
                    identity=form.to_identity(),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except ServiceError as exc:
                apply_service_error(form, _remap(exc))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("people:detail", public_id=person.public_id)
    else:
        identity = selectors.person_identity_for_user(user=request.user, person=person, purpose="edit")
        form = PersonForm(initial=PersonForm.initial_from(identity, person.version))
    return render(request, "people/person_form.html", {"form": form, "person": person, "creating": False})


@require_action(Action.PERSON_EDIT)
@require_http_methods(["POST"])
def person_photo_upload(request, public_id):
    person, _access = selectors.person_get_for_user(user=request.user, public_id=public_id, action=Action.PERSON_EDIT)
    require(request.user, Action.PERSON_EDIT, person, owner_side=True)  # 403 for a share holder, as the service
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo to upload."))
    else:
        try:
            services.person_add_photo(
                actor=request.user,
                person=person,
                content=upload.read(),
                content_type=upload.content_type or "",
            )
        except ServiceError as exc:
            messages.error(request, " ".join(m for ms in exc.fields.values() for m in ms) or exc.message)
        else:
            messages.success(request, _("Photo added."))
    return redirect("people:detail", public_id=person.public_id)


@require_action(Action.PERSON_VIEW_IDENTITY)
def person_photo(request, public_id, photo_id):
    person, _access = selectors.person_get_for_user(user=request.user, public_id=public_id)
    data, content_type = selectors.person_photo_for_user(user=request.user, person=person, photo_public_id=photo_id)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = "inline"
    return response
