"""Small helpers shared by every app's views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from .errors import ErrorCode, NotFound, PermissionDenied, ServiceError, ValidationFailed


def require_action(action):
    """Logged in (and 2FA-verified, via middleware) and the role allows `action`, else 403: step 1 of
    `ctip.accounts.access.require` (the same `user.can`), before any record is read, so a role without the action
    gets 403 whatever the id. Inside the view, `require`'s answers become the error pages: NotFound -> 404,
    PermissionDenied -> 403 (core imports no app, so the mapping is here and the rules are there)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if action is not None and not request.user.can(action):
                raise DjangoPermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404 from exc
            except PermissionDenied as exc:
                raise DjangoPermissionDenied from exc

        return wrapper

    return decorator


def login_only(view):
    return require_action(None)(view)


def apply_service_error(form, exc: ServiceError) -> None:
    """Show a service's error on the form: field errors where the field exists, the rest at the top."""
    if isinstance(exc, ValidationFailed) and exc.fields:
        for name, messages in exc.fields.items():
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(name if name in form.fields else None, message)
        if exc.message != str(ErrorCode.VALIDATION.label):
            form.add_error(None, exc.message)
    else:
        form.add_error(None, exc.message)


class Page:
    """A page without COUNT(*): large tables (a million persons) page in constant time.

    Fetches one row more than shown to know whether a next page exists.
    """

    def __init__(self, rows: list, number: int, per_page: int, has_next: bool):
        self.object_list = rows
        self.number = number
        self.per_page = per_page
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def paginate(request, queryset, per_page: int = 25) -> Page:
    try:
        number = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        number = 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return Page(rows[:per_page], number, per_page, len(rows) > per_page)


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
