"""The lists that can be exported, each as its page shows it: the same filter form, the same user-scoped selector,
the columns the user may see. A list export is the list page written to a file, nothing more."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.cases import selectors as case_selectors
from ctip.cases.forms import CaseFilterForm
from ctip.core.errors import ValidationFailed
from ctip.referrals import selectors as referral_selectors
from ctip.referrals.forms import ReferralFilterForm

from .enums import ExportKind


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy text


class ListSpec(Protocol):
    kind: ExportKind
    action: Action
    names_possible: bool
    filter_names: frozenset[str]

    def queryset(self, user: Actor, filters) -> QuerySet: ...

    def columns(self, user: Actor, include_names: bool) -> list[Column]: ...

    def prepare(self, user: Actor, queryset: QuerySet) -> Any:
        """Anything the rows need from the whole list before the first chunk (passed to rows as `state`)."""
        ...

    def rows(self, user: Actor, chunk: list, include_names: bool, state: Any = None) -> Iterable[list]: ...


def _params(filters: Sequence[Sequence[str]]) -> QueryDict:
    params = QueryDict(mutable=True)
    for name, value in filters:
        params.appendlist(name, value)
    return params


def _valid(form) -> None:
    if form.is_bound and not form.is_valid():
        raise ValidationFailed(
            _("The list's filters are not valid."),
            fields={name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class CaseListExport:
    kind = ExportKind.CASES
    action = Action.CASE_VIEW
    names_possible = True
    filter_names = frozenset(CaseFilterForm.base_fields)

    def queryset(self, user: Actor, filters) -> QuerySet:
        params = _params(filters)
        form = CaseFilterForm(params or None)
        _valid(form)
        qs = case_selectors.case_list_for_user(user=user, filters=form.to_filters())
        return qs.select_related("owning_agency", "identified_county")

    def columns(self, user: Actor, include_names: bool) -> list[Column]:
        columns = [Column("reference", _("Case number"))]
        if include_names:
            columns.append(Column("person", _("Person")))
        return columns + [
            Column("status", _("Status")),
            Column("trafficking_status", _("Trafficking status")),
            Column("agency", _("Agency")),
            Column("county", _("County")),
            Column("identified_on", _("Identified")),
            Column("exploitation", _("Forms of exploitation")),
            Column("non_punishment", _("Non-punishment applies")),
        ]

    def prepare(self, user: Actor, queryset: QuerySet) -> Any:
        return None

    def rows(self, user: Actor, chunk: list, include_names: bool, state: Any = None) -> Iterable[list]:
        names = (
            case_selectors.case_person_names_for_user(user=user, cases=chunk, purpose="export") if include_names else {}
        )
        forms_of = case_selectors.case_exploitation_labels(cases=chunk)
        for case in chunk:
            row: list[Any] = [case.reference]
            if include_names:
                row.append(names.get(case.pk) or str(_("(identity restricted)")))
            row += [
                case.get_status_display(),
                case.get_trafficking_status_display() if case.trafficking_status else "",
                str(case.owning_agency),
                case.identified_county.name if case.identified_county else "",
                case.identified_on,
                ", ".join(forms_of.get(case.pk, [])),
                str(_("yes")) if case.non_punishment_flag else "",
            ]
            yield row


class ReferralListExport:
    names_possible = False
    filter_names = frozenset(ReferralFilterForm.base_fields)

    def __init__(self, kind: ExportKind, box: str, action: Action):
        self.kind, self.box, self.action = kind, box, action

    def queryset(self, user: Actor, filters) -> QuerySet:
        params = _params(filters)
        form = ReferralFilterForm(params or None)
        _valid(form)
        status = form.cleaned_data["status"] if form.is_bound else ""
        overdue = form.cleaned_data["overdue"] if form.is_bound else False
        return referral_selectors.referral_list_for_user(user=user, box=self.box, status=status, overdue_only=overdue)

    def columns(self, user: Actor, include_names: bool) -> list[Column]:
        other = _("From") if self.box == referral_selectors.INBOX else _("To")
        return [
            Column("reference", _("Referral")),
            Column("case", _("Case")),
            Column("service", _("Service")),
            Column("agency", other),
            Column("status", _("Status")),
            Column("overdue", _("Overdue")),
            Column("sent_at", _("Sent")),
            Column("response_due_at", _("Response due")),
        ]

    def prepare(self, user: Actor, queryset: QuerySet) -> Any:
        return None

    def rows(self, user: Actor, chunk: list, include_names: bool, state: Any = None) -> Iterable[list]:
        for r in chunk:
            yield [
                r.reference,
                r.case.reference,
                r.get_service_type_display(),
                str(r.sender_agency if self.box == referral_selectors.INBOX else r.provider.agency),
                r.get_status_display(),
                str(_("yes")) if r.is_overdue else "",
                _local(r.sent_at),
                _local(r.response_due_at) if r.status == "sent" else "",
            ]


class HtcdsExport:
    """The case list (same filters) as a de-identified HTCDS v2.0 file for partners: only the cases the user may
    give away that have an active research-use consent (ctip.cases.selectors.htcds). The header row holds the
    standard's field names, untranslated, so partners' tools read it."""

    kind = ExportKind.HTCDS
    action = Action.HTCDS_EXPORT
    names_possible = False
    filter_names = frozenset(CaseFilterForm.base_fields)

    def queryset(self, user: Actor, filters) -> QuerySet:
        cases = CaseListExport().queryset(user, filters)
        return case_selectors.htcds_export_cases_for_user(user=user, cases=cases).select_related(
            "owning_agency", "identified_county", "identified_country", "abroad_country"
        )

    def columns(self, user: Actor, include_names: bool) -> list[Column]:
        return [Column(name, name) for name in case_selectors.HTCDS_EXPORT_COLUMNS]

    def prepare(self, user: Actor, queryset: QuerySet) -> Any:
        return case_selectors.htcds_export_generalisation(queryset)

    def rows(self, user: Actor, chunk: list, include_names: bool, state: Any = None) -> Iterable[list]:
        return case_selectors.htcds_export_rows(chunk, state)


class CtdcExport:
    """The case list's consented cases (the HTCDS export's rule and scope) in the CTDC 2024 Global Synthetic Dataset
    schema, as k-anonymised microdata (k = 11) or as differentially private synthetic records (pac-synth), with a
    privacy report (ctip.cases.selectors.ctdc, ctip.core.synthetic). The whole file is computed before the first
    chunk (`prepare`): its rows are not the cases one by one, so `rows` writes nothing and `finish` writes them."""

    action = Action.HTCDS_EXPORT
    names_possible = False
    filter_names = frozenset(CaseFilterForm.base_fields)

    def __init__(self, kind: ExportKind, synthetic: bool):
        self.kind, self.synthetic = kind, synthetic

    def queryset(self, user: Actor, filters) -> QuerySet:
        cases = CaseListExport().queryset(user, filters)
        return case_selectors.htcds_export_cases_for_user(user=user, cases=cases).select_related(None).only("pk")

    def columns(self, user: Actor, include_names: bool) -> list[Column]:
        return [Column(name, name) for name in case_selectors.CTDC_COLUMNS]

    def prepare(self, user: Actor, queryset: QuerySet) -> Any:
        if self.synthetic:
            return case_selectors.ctdc_synthetic(queryset)
        return case_selectors.ctdc_k_anonymised(queryset)

    def rows(self, user: Actor, chunk: list, include_names: bool, state: Any = None) -> Iterable[list]:
        return []

    def finish(self, user: Actor, state: Any) -> Iterable[list]:
        return state[0] if self.synthetic else state.records

    def report(self, user: Actor, state: Any) -> list[list]:
        """The privacy report written beside the data (a second sheet, or a second CSV section)."""
        qis = ", ".join(case_selectors.CTDC_QUASI_IDENTIFIERS)
        if not self.synthetic:
            return [
                [_("k (smallest group of quasi-identifier combinations)"), case_selectors.CTDC_K],
                [_("Quasi-identifiers"), qis],
                [_("Records written"), len(state.records)],
                [_("Records generalised"), state.generalised],
                [_("Records suppressed"), state.suppressed],
            ]
        report = state[1]

        def share(value) -> str:
            return "" if value is None else f"{value:.4f}"

        rows: list[list] = [
            [_("Privacy budget (epsilon)"), report.epsilon],
            [_("Reporting length"), report.reporting_length],
            [_("Quasi-identifiers"), qis],
            [_("Sensitive records"), report.sensitive_records],
            [_("Synthetic records"), report.synthetic_records],
            [
                _("Synthetic records with quasi-identifiers blanked by the rare-combination guard"),
                report.guarded_records,
            ],
            [_("Rare-combination leakage (must be 0)"), report.rare_combination_leakage],
            [_("Mean proportional error of combination counts"), share(report.mean_proportional_error)],
        ]
        for length, value in report.error_by_length.items():
            rows.append([_("Mean proportional error, length %(n)s") % {"n": length}, share(value)])
        for length, value in report.preservation_by_length.items():
            rows.append([_("Preservation of combination counts, length %(n)s") % {"n": length}, share(value)])
        return rows


LISTS: dict[ExportKind, ListSpec] = {
    ExportKind.HTCDS: HtcdsExport(),
    ExportKind.CTDC_K: CtdcExport(ExportKind.CTDC_K, synthetic=False),
    ExportKind.CTDC_SYNTHETIC: CtdcExport(ExportKind.CTDC_SYNTHETIC, synthetic=True),
    ExportKind.CASES: CaseListExport(),
    ExportKind.REFERRALS_IN: ReferralListExport(
        ExportKind.REFERRALS_IN, referral_selectors.INBOX, Action.REFERRAL_RESPOND
    ),
    ExportKind.REFERRALS_OUT: ReferralListExport(
        ExportKind.REFERRALS_OUT, referral_selectors.OUTBOX, Action.REFERRAL_SEND
    ),
}
