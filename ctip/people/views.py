from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts import selectors as account_selectors
from ctip.accounts import services as account_services
from ctip.accounts.access import may, require
from ctip.accounts.forms import BreakGlassForm
from ctip.accounts.roles import Action
from ctip.core import ratelimit
from ctip.core.errors import NotFound, ServiceError, ValidationFailed
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action

from . import panels, selectors, services
from .forms import SERVICE_FIELD_MAP, IdentifierSearchForm, NameSearchForm, PersonForm


def _remap(exc: ServiceError) -> ServiceError:
    if isinstance(exc, ValidationFailed):
        exc.fields = {SERVICE_FIELD_MAP.get(k, k): v for k, v in exc.fields.items()}
    return exc


# Name searches per user: a person looking for someone types a few names; a script walking the registry is stopped.
NAME_SEARCH_LIMIT = ratelimit.Limit("people_name_search", 30, 600)


@require_action(Action.PERSON_VIEW)
@require_http_methods(["GET", "POST"])
def person_list(request):
    # Searches are POSTed: a name, an ID or a phone number must never appear in a URL or an access log.
    by_name = request.method == "POST" and "n-name" in request.POST
    can_search_names = request.user.can(Action.PERSON_VIEW_IDENTITY)
    name_search = NameSearchForm(request.POST if by_name else None)
    search = IdentifierSearchForm(request.POST if request.method == "POST" and not by_name else None)
    status = 200
    page = None
    rows: list = []
    name_hits = None
    if by_name:
        if not can_search_names:
            raise PermissionDenied
        if not name_search.is_valid():
            status = 400
        elif not ratelimit.allow(NAME_SEARCH_LIMIT, ratelimit.value_key(f"user:{request.user.pk}")):
            name_search.add_error(None, _("Too many name searches. Wait a few minutes and try again."))
            status = 429
        else:
            d = name_search.cleaned_data
            name_hits = selectors.person_find_by_name(
                user=request.user,
                name=d["name"],
                birth_year=d["birth_year"],
                county=d["county"].code if d["county"] else "",
            )
    elif search.is_bound and search.is_valid():
        rows = selectors.person_find_by_identifier(
            user=request.user, kind=search.cleaned_data["kind"], value=search.cleaned_data["value"]
        )
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
    names = selectors.person_names_for_user(user=request.user, persons=rows) if not by_name else {}
    return render(
        request,
        "people/person_list.html",
        {
            "rows": [(p, names.get(p.pk)) for p in rows],
            "page": page,
            "search": search,
            "name_search": name_search if can_search_names else None,
            "name_hits": name_hits,
            "by_name": by_name,
            "query": query_without_page(request),
            "can_create": request.user.can(Action.PERSON_CREATE),
            "agencies": account_selectors.agency_list(active_only=True)
            if request.user.scope(Action.PERSON_VIEW) == "national"
            else [],
        },
        status=status,
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
            "panels": panels.for_person(user=request.user, person=person),
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
