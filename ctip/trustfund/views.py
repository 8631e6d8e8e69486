"""Pages of the Trust Fund ledger: form -> service or selector -> page (ARCHITECTURE.md rule 8).

The ledger (balance and entries), an entry (and its reversal), recording a receipt or a disbursement, and the
statement of a period as a page, a PDF (WeasyPrint; without the system's Pango the page says printing is not
available, as the case summary does) and an XLSX workbook (every text cell formula-safe)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

try:
    from weasyprint import CSS, HTML
except OSError:  # the system's Pango library is missing (`make pdf-libs`): CTIP runs, printing says so
    CSS = HTML = None

from ctip.accounts.roles import Action
from ctip.core.errors import ServiceError
from ctip.core.spreadsheets import xlsx_workbook
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action

from . import selectors, services
from .enums import EntryKind, ReceiptSource
from .forms import DisbursementForm, OrderSearchForm, ReceiptForm, ReversalForm, StatementForm
from .money import format_ksh

# --- the ledger ---------------------------------------------------------------------------------------------------


@require_action(Action.TRUSTFUND_VIEW)
def index(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in EntryKind.values else ""
    page = paginate(request, selectors.entries_for_user(user=request.user, kind=kind))
    return render(
        request,
        "trustfund/list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "kind": kind,
            "kinds": EntryKind.choices,
            "balance": format_ksh(selectors.balance_for_user(user=request.user)),
            "can_record": request.user.can(Action.TRUSTFUND_RECORD),
        },
    )


def _entry_page(request, entry, form=None, status=200):
    can_reverse = (
        request.user.can(Action.TRUSTFUND_RECORD)
        and entry.kind != EntryKind.REVERSAL
        and getattr(entry, "reversed_by", None) is None
    )
    return render(
        request,
        "trustfund/entry.html",
        {"entry": entry, "form": form or ReversalForm(), "can_reverse": can_reverse},
        status=status,
    )


@require_action(Action.TRUSTFUND_VIEW)
def entry(request, public_id):
    return _entry_page(request, selectors.entry_get_for_user(user=request.user, public_id=public_id))


@require_action(Action.TRUSTFUND_RECORD)
@require_POST
def reverse_entry(request, public_id):
    original = selectors.entry_get_for_user(user=request.user, public_id=public_id)
    form = ReversalForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.entry_reverse(actor=request.user, entry=original, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Entry %(entry)s was reversed.") % {"entry": original.reference})
            return redirect("trustfund:entry", public_id=reversal.public_id)
    return _entry_page(request, original, form, status=400)


# --- recording ----------------------------------------------------------------------------------------------------


def _record(request, form_class, template, call):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = call(form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Entry %(entry)s was recorded.") % {"entry": entry.reference})
            return redirect("trustfund:entry", public_id=entry.public_id)
    status = 400 if request.method == "POST" else 200
    balance = format_ksh(selectors.balance_for_user(user=request.user))
    return render(request, template, {"form": form, "balance": balance}, status=status)


@require_action(Action.TRUSTFUND_RECORD)
@require_http_methods(["GET", "POST"])
def receipt(request):
    """Record a receipt. Forfeited proceeds: the officer finds the court's order by its court case number (`?q=`,
    a GET search on the same page) and picks it; the order's public id is what the receipt records."""
    search = OrderSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        picked = request.POST.get("forfeiture_order", "")
        if picked:
            orders = selectors.forfeiture_orders_for_receipt(user=request.user, public_id=picked)
        else:  # a court case number typed: its orders in CTIP are offered if the receipt is sent back for one
            typed = request.POST.get("court_case_number", "")
            orders = selectors.forfeiture_orders_for_receipt(user=request.user, search=typed) if typed else []
        form = ReceiptForm(request.POST, orders=orders)
    else:
        orders = selectors.forfeiture_orders_for_receipt(user=request.user, search=q)
        initial = {}
        if len(orders) == 1:  # one order found: chosen already
            initial = {"source": ReceiptSource.FORFEITURE, "forfeiture_order": orders[0].public_id}
        form = ReceiptForm(initial=initial, orders=orders)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.receipt_record(
                actor=request.user,
                data=services.ReceiptInput(
                    entry_date=d["entry_date"],
                    amount_cents=d["amount"],
                    source=d["source"],
                    forfeiture_order=d["forfeiture_order"],
                    court_case_number=d["court_case_number"],
                    order_reference=d["order_reference"],
                    receipt_reference=d["receipt_reference"],
                ),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Entry %(entry)s was recorded.") % {"entry": entry.reference})
            return redirect("trustfund:entry", public_id=entry.public_id)
    status = 400 if request.method == "POST" or (search.is_bound and not search.is_valid()) else 200
    return render(
        request,
        "trustfund/receipt.html",
        {
            "form": form,
            "search": search,
            "searched": bool(q) and request.method == "GET",
            "orders": orders,
            "balance": format_ksh(selectors.balance_for_user(user=request.user)),
        },
        status=status,
    )


@require_action(Action.TRUSTFUND_RECORD)
@require_http_methods(["GET", "POST"])
def disbursement(request):
    def call(d):
        return services.disbursement_record(
            actor=request.user,
            data=services.DisbursementInput(
                entry_date=d["entry_date"],
                amount_cents=d["amount"],
                purpose=d["purpose"],
                case_reference=d["case_reference"],
                approval_reference=d["approval_reference"],
                approval_date=d["approval_date"],
            ),
        )

    return _record(request, DisbursementForm, "trustfund/disbursement.html", call)


# --- the statement ------------------------------------------------------------------------------------------------


def _period(request) -> tuple[StatementForm, date, date] | tuple[StatementForm, None, None]:
    today = timezone.localdate()
    if "start" in request.GET or "end" in request.GET:
        form = StatementForm(request.GET)
    else:
        form = StatementForm({"start": today.replace(day=1).isoformat(), "end": today.isoformat()})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


@require_action(Action.TRUSTFUND_VIEW)
def statement(request):
    form, start, end = _period(request)
    statement = None
    if start is not None and end is not None:
        statement = selectors.statement_for_user(user=request.user, start=start, end=end)
    return render(
        request,
        "trustfund/statement.html",
        {"form": form, "statement": statement, "query": request.GET.urlencode() or _query(form)},
        status=200 if statement is not None else 400,
    )


def _query(form) -> str:
    from urllib.parse import urlencode

    return urlencode({"start": form.data.get("start", ""), "end": form.data.get("end", "")})


def _no_fetch(url: str, *args, **kwargs):
    """The statement is self-contained: it loads nothing, from the network or the disk."""
    raise ValueError("external resources are not loaded in a statement")


def _filename(statement, ext: str) -> str:
    return f"trust-fund-statement-{statement.start.isoformat()}-{statement.end.isoformat()}.{ext}"


def statement_html(request, statement) -> str:
    """The HTML the PDF is drawn from (kept apart so tests can read the text)."""
    return render_to_string(
        "trustfund/print/statement.html",
        {"statement": statement, "language": translation.get_language(), "printed_on": timezone.localdate()},
        request=request,
    )


@never_cache
@require_action(Action.TRUSTFUND_VIEW)
def statement_pdf(request):
    form, start, end = _period(request)
    if start is None or end is None:
        return render(request, "trustfund/statement.html", {"form": form, "statement": None}, status=400)
    if HTML is None:
        messages.error(
            request,
            _(
                "Printing is not available on this server: the PDF library it needs is not installed. "
                "Tell the administrator."
            ),
        )
        return redirect(f"{reverse('trustfund:statement')}?{_query(form)}")
    statement = selectors.statement_for_user(user=request.user, start=start, end=end, export="pdf")
    css = CSS(filename=finders.find("trustfund/statement-print.css"), url_fetcher=_no_fetch)
    pdf = HTML(string=statement_html(request, statement), url_fetcher=_no_fetch).write_pdf(stylesheets=[css])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(statement, "pdf")}"'
    return response


def _ksh(cents: int) -> Decimal:
    """Cents as an exact decimal number of shillings for a spreadsheet cell."""
    return Decimal(cents).scaleb(-2)


def statement_workbook(statement) -> bytes:
    """The statement as XLSX, through the one safe writer (ctip.core.spreadsheets: no cell is a formula)."""
    sheet = xlsx_workbook()
    ws = sheet.sheet(_("Statement"))

    def row(*values):
        ws.append(values)

    row(_("National Assistance Trust Fund: statement"))
    row(_("From"), statement.start, _("To"), statement.end)
    row(_("Opening balance (KSh)"), _ksh(statement.opening_cents))
    row()
    row(
        _("Entry"),
        _("Date"),
        _("Kind"),
        _("Source or purpose"),
        _("Court case number"),
        _("Forfeiture order reference"),
        _("Receipt or bank reference"),
        _("Board approval reference"),
        _("Reverses"),
        _("Victim case number"),
        _("Receipts (KSh)"),
        _("Payments (KSh)"),
        _("Balance (KSh)"),
    )
    for line in statement.lines:
        e = line.entry
        row(
            e.reference,
            e.entry_date,
            e.get_kind_display(),
            e.get_source_display() if e.source else e.get_purpose_display(),
            e.court_case_number,
            e.order_reference or (str(e.forfeiture_order.public_id) if e.forfeiture_order_id else ""),
            e.receipt_reference,
            e.approval_reference,
            e.reverses.reference if e.reverses_id else "",
            e.case_reference,
            _ksh(line.receipt_cents) if line.receipt_cents else None,
            _ksh(line.payment_cents) if line.payment_cents else None,
            _ksh(line.balance_cents),
        )
    row()
    row(_("Total receipts (KSh)"), _ksh(statement.receipts_cents))
    row(_("Total payments (KSh)"), _ksh(statement.payments_cents))
    row(_("Closing balance (KSh)"), _ksh(statement.closing_cents))
    row()
    row(_("Receipts by source (net of reversals)"))
    for total in statement.by_source:
        row(total.label, _ksh(total.cents))
    row()
    row(_("Disbursements by purpose (net of reversals)"))
    for total in statement.by_purpose:
        row(total.label, _ksh(total.cents))
    return sheet.to_bytes()


@never_cache
@require_action(Action.TRUSTFUND_VIEW)
def statement_xlsx(request):
    form, start, end = _period(request)
    if start is None or end is None:
        return render(request, "trustfund/statement.html", {"form": form, "statement": None}, status=400)
    statement = selectors.statement_for_user(user=request.user, start=start, end=end, export="xlsx")
    response = HttpResponse(
        statement_workbook(statement),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(statement, "xlsx")}"'
    return response
