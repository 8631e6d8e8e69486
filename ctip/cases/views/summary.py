"""The printable case summary as PDF (WeasyPrint): GET /cases/<id>/summary.pdf. What it contains and what it
leaves out: ctip/cases/selectors/summary.py. Every print is recorded (`case.print`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

try:
    from weasyprint import CSS, HTML
except OSError:  # the system's Pango library is missing (`make pdf-libs`): CTIP runs, printing says so
    CSS = HTML = None

from ctip.accounts.roles import Action
from ctip.core.views_helpers import require_action

from .. import selectors
from ..forms import HTCDS_FIELD_LABELS
from .core import _get_case


def _no_fetch(url: str, *args, **kwargs):
    """The summary is self-contained: it loads nothing, from the network or the disk."""
    raise ValueError("external resources are not loaded in a case summary")


def _stylesheet() -> CSS:
    """The print style sheet, read from the app's static files (the template holds no style)."""
    return CSS(filename=finders.find("cases/summary-print.css"), url_fetcher=_no_fetch)


def summary_html(request, case, access) -> str:
    """The HTML the PDF is drawn from (kept apart so tests can read the text)."""
    summary = selectors.case_summary_for_user(
        user=request.user, case=case, access=access, field_labels=HTCDS_FIELD_LABELS
    )
    return render_to_string(
        "cases/print/case_summary.html",
        {**summary, "language": translation.get_language()},
        request=request,
    )


@never_cache
@require_action(Action.CASE_VIEW)
def case_summary_pdf(request, public_id):
    case, access = _get_case(request, public_id)
    if HTML is None:
        messages.error(
            request,
            _(
                "Printing is not available on this server: the PDF library it needs is not installed. "
                "Tell the administrator."
            ),
        )
        return redirect("cases:detail", public_id=case.public_id)
    html = summary_html(request, case, access)
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[_stylesheet()])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-summary.pdf"'
    return response
