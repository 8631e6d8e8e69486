"""The one definition of who may do what, and over which records.

Every check in views, API, selectors and services asks `scope_for(user, action)`. docs/security.md shows this
table as a matrix (a test keeps the two in step: ctip/accounts/tests/test_roles_doc.py).

Scopes, from narrowest to widest:
- SHARED: only records explicitly shared with the user's agency (or opened by break-the-glass);
- AGENCY: records the user's agency owns, plus SHARED;
- NATIONAL: every record.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .enums import Role


class Scope(StrEnum):
    SHARED = "shared"
    AGENCY = "agency"
    NATIONAL = "national"


class Action(StrEnum):
    PERSON_VIEW = "person.view"  # that a person record exists, its opaque id, owning agency, dates
    PERSON_VIEW_IDENTITY = "person.view_identity"  # names, DOB, documents, contacts (every read logged)
    PERSON_CREATE = "person.create"
    PERSON_EDIT = "person.edit"
    SHARE_GRANT = "share.grant"
    BREAKGLASS_USE = "breakglass.use"
    BREAKGLASS_REVIEW = "breakglass.review"
    USERS_MANAGE = "users.manage"
    AGENCIES_MANAGE = "agencies.manage"
    AUDIT_VIEW = "audit.view"
    AUDIT_EXPORT = "audit.export"
    STATS_VIEW = "stats.view"
    STATS_REPORT = "stats.report"  # generate the annual statistical report (issue 14)
    REFERENCE_VIEW = "reference.view"
    REFERENCE_MANAGE = "reference.manage"
    # Victim cases and the NRM (issue 3).
    CASE_VIEW = "case.view"  # the case record (sections limited by shares)
    CASE_CREATE = "case.create"  # register a potential victim
    CASE_EDIT = "case.edit"  # circumstances, events, needs, care plan, follow-ups, closure
    CASE_SCREEN = "case.screen"  # Delphi screening and the trafficking-status decision
    CASELOAD_VIEW = "caseload.view"  # cases per officer of an agency, with their overdue items (counts only)
    CONSENT_OVERRIDE = "consent.override"  # share without consent, with a reason (audited)
    CASE_IMPORT = "case.import"  # bulk import from the HTCDS template / CSV
    PERSON_MERGE = "person.merge"  # link duplicates, merge and un-merge persons
    REFERRAL_SEND = "referral.send"
    REFERRAL_RESPOND = "referral.respond"  # accept / decline / progress referrals sent to one's agency
    SERVICE_RECORD = "service.record"  # record services delivered on a shared case
    PROVIDERS_MANAGE = "providers.manage"  # the service-provider directory (own agency's entry at agency scope)
    TIP_TRIAGE = "tip.triage"  # public tips: triage, convert to a case, close
    HOTLINE_LOG = "hotline.log"  # hotline call log
    # Recruitment integrity (issue 12): the register of licensed recruitment agencies.
    RECRUITER_VIEW = "recruiter.view"  # the agency register (directors' identities still need person identity)
    RECRUITER_MANAGE = "recruiter.manage"  # add and edit agencies, contacts, directors, job orders; import the list
    RECRUITER_STATUS = "recruiter.status"  # change a licence status (labour officers), with its source
    # The criminal-justice chain (issue 11): investigation files and the police-prosecutor hand-over.
    INVESTIGATION_VIEW = "investigation.view"  # investigation files (sections limited by the hand-over share)
    INVESTIGATION_EDIT = "investigation.edit"  # open and keep a file, submit it to the prosecutor, close it
    INVESTIGATION_REVIEW = "investigation.review"  # advise on a file handed to one's prosecution office
    PROSECUTION_CHARGE = "prosecution.charge"  # record the charge sheet of a file one's office advised to charge
    # The job-offer risk check (issue 12): its officer page and its rules, versioned data.
    JOBCHECK_USE = "jobcheck.use"  # check an offer for someone (the officer page)
    JOBCHECK_RULES_EDIT = "jobcheck.rules_edit"  # draft and edit a new version of the rules; see the counts
    JOBCHECK_RULES_PUBLISH = "jobcheck.rules_publish"  # review a version sent by another officer and publish it
    # Recruitment integrity (issue 12): complaints about agencies and agents, the watchlist.
    COMPLAINT_VIEW = "complaint.view"  # the complaints queue and pages (sealed text read on demand, audited)
    COMPLAINT_FILE = "complaint.file"  # file a complaint for someone, as an officer
    COMPLAINT_TRIAGE = "complaint.triage"  # triage: warning, suspension, deregistration, DCI referral, no action
    COMPLAINT_EVIDENCE = "complaint.evidence"  # download the evidence files (each read audited)
    RECRUITER_WATCH = "recruiter.watch"  # put agencies on the watchlist and take them off
    # Investigation leads (issues 11 and 12): suspects named by a tip, a complaint or a case, sent to investigators.
    LEAD_SEND = "lead.send"  # send a lead to an investigating agency (from a tip, a complaint, a case, or one's own)
    LEAD_VIEW = "lead.view"  # the leads sent to one's investigating agency
    LEAD_HANDLE = "lead.handle"  # accept a lead (open a file), join it to a file, or decline it
    # The National Assistance Trust Fund (issue 11, s.22-24): the fund's ledger of receipts and disbursements.
    TRUSTFUND_VIEW = "trustfund.view"  # the ledger, the balance and the statements (no victim's identity)
    TRUSTFUND_RECORD = "trustfund.record"  # record receipts, Board-approved disbursements and reversing entries
    PROSECUTION_COURT = "prosecution.court"  # keep the court diary, victim-witnesses, outcomes and orders
    HTCDS_EXPORT = "htcds.export"  # de-identified HTCDS file of consented cases, for partners (issue 14)
    # Attachments (issue 13): a supervisor removes any attachment of the records the agency keeps (uploaders remove
    # their own with the record's edit right).
    ATTACHMENT_REMOVE = "attachment.remove"
    # The National Plan of Action (issue 14): plans, objectives, activities, indicators and progress reports;
    # training sessions and awareness campaigns, which feed the plan's computed indicators.
    NPA_VIEW = "npa.view"  # the plans, their overview and progress reports; trainings and campaigns (by scope)
    NPA_MANAGE = "npa.manage"  # keep the plans: objectives, activities, indicators, responsible agencies, reports
    NPA_REPORT = "npa.report"  # report progress on the activities one's agency is responsible for
    NPA_TRAINING_RECORD = "npa.training_record"  # record one's agency's training sessions and awareness campaigns


ACTION_LABELS = {
    Action.PERSON_VIEW: _("See person records (no identity)"),
    Action.PERSON_VIEW_IDENTITY: _("See identity data"),
    Action.PERSON_CREATE: _("Register persons"),
    Action.PERSON_EDIT: _("Edit identity data"),
    Action.SHARE_GRANT: _("Share records with another agency"),
    Action.BREAKGLASS_USE: _("Break the glass (open a record outside scope with a reason)"),
    Action.BREAKGLASS_REVIEW: _("Review break-the-glass accesses"),
    Action.USERS_MANAGE: _("Manage user accounts"),
    Action.AGENCIES_MANAGE: _("Manage agencies"),
    Action.AUDIT_VIEW: _("Read the audit trail"),
    Action.AUDIT_EXPORT: _("Export the audit trail"),
    Action.STATS_VIEW: _("See aggregate statistics"),
    Action.STATS_REPORT: _("Generate the annual statistical report"),
    Action.REFERENCE_VIEW: _("See reference data"),
    Action.REFERENCE_MANAGE: _("Edit reference catalogues"),
    Action.CASE_VIEW: _("See victim cases"),
    Action.CASE_CREATE: _("Register potential victims"),
    Action.CASE_EDIT: _("Update cases (circumstances, care, follow-ups, closure)"),
    Action.CASE_SCREEN: _("Screen and decide trafficking status"),
    Action.CASELOAD_VIEW: _("See the caseload of the agency's officers"),
    Action.CONSENT_OVERRIDE: _("Share without consent (with a reason)"),
    Action.CASE_IMPORT: _("Bulk-import cases"),
    Action.PERSON_MERGE: _("Link and merge duplicate persons"),
    Action.REFERRAL_SEND: _("Send referrals"),
    Action.REFERRAL_RESPOND: _("Respond to referrals received"),
    Action.SERVICE_RECORD: _("Record services delivered"),
    Action.PROVIDERS_MANAGE: _("Maintain the service-provider directory"),
    Action.TIP_TRIAGE: _("Triage public tips"),
    Action.HOTLINE_LOG: _("Log hotline calls"),
    # Recruitment integrity (issue 12).
    Action.RECRUITER_VIEW: _("See the recruitment-agency register"),
    Action.RECRUITER_MANAGE: _("Maintain the recruitment-agency register and import the NEA list"),
    Action.RECRUITER_STATUS: _("Change a recruitment agency's licence status"),
    Action.INVESTIGATION_VIEW: _("See investigation files"),
    Action.INVESTIGATION_EDIT: _("Keep investigation files and hand them to the prosecutor"),
    Action.INVESTIGATION_REVIEW: _("Review investigation files and advise"),
    Action.PROSECUTION_CHARGE: _("Record charge sheets"),
    Action.JOBCHECK_USE: _("Check job offers for people (officer page)"),
    Action.JOBCHECK_RULES_EDIT: _("Draft new versions of the job-offer check rules"),
    Action.JOBCHECK_RULES_PUBLISH: _("Review and publish the job-offer check rules"),
    Action.COMPLAINT_VIEW: _("See complaints about recruitment"),
    Action.COMPLAINT_FILE: _("File a complaint about recruitment for someone"),
    Action.COMPLAINT_TRIAGE: _("Triage complaints about recruitment"),
    Action.COMPLAINT_EVIDENCE: _("Download complaint evidence"),
    Action.RECRUITER_WATCH: _("Keep the recruitment-agency watchlist"),
    Action.LEAD_SEND: _("Send investigation leads to investigators"),
    Action.LEAD_VIEW: _("See the investigation leads sent to one's unit"),
    Action.LEAD_HANDLE: _("Accept, join or decline investigation leads"),
    Action.TRUSTFUND_VIEW: _("See the Trust Fund ledger and statements"),
    Action.TRUSTFUND_RECORD: _("Record Trust Fund receipts, disbursements and reversals"),
    Action.PROSECUTION_COURT: _("Keep the court diary, witnesses and outcomes"),
    Action.HTCDS_EXPORT: _("Export de-identified HTCDS data for partners"),
    Action.ATTACHMENT_REMOVE: _("Remove any attachment of the agency's cases and persons (supervisor)"),
    Action.NPA_VIEW: _("See the National Plan of Action, trainings and campaigns"),
    Action.NPA_MANAGE: _("Keep the National Plan of Action and its progress reports"),
    Action.NPA_REPORT: _("Report progress on the plan's activities"),
    Action.NPA_TRAINING_RECORD: _("Record training sessions and awareness campaigns"),
}

A, N, S = Scope.AGENCY, Scope.NATIONAL, Scope.SHARED

_FRONTLINE = {
    Action.PERSON_VIEW: A,
    Action.PERSON_VIEW_IDENTITY: A,
    Action.PERSON_CREATE: A,
    Action.PERSON_EDIT: A,
    Action.SHARE_GRANT: A,
    Action.BREAKGLASS_USE: N,
    Action.REFERENCE_VIEW: N,
    Action.CASE_VIEW: A,
    Action.CASE_CREATE: A,
    Action.CASE_EDIT: A,
    Action.CASE_SCREEN: A,
    Action.PERSON_MERGE: A,
    Action.REFERRAL_SEND: A,
    Action.REFERRAL_RESPOND: A,
    Action.SERVICE_RECORD: A,
}

MATRIX: dict[Role, dict[Action, Scope]] = {
    # Administers accounts and agencies; deliberately has no access to victims' data.
    Role.SYSADMIN: {
        Action.USERS_MANAGE: N,
        Action.AGENCIES_MANAGE: N,
        Action.REFERENCE_VIEW: N,
    },
    # Sees that records exist nationally, but identity only for its own agency's records or shares.
    Role.COORDINATOR: {
        **_FRONTLINE,
        Action.PERSON_VIEW: N,
        Action.BREAKGLASS_REVIEW: N,
        Action.STATS_VIEW: N,
        Action.STATS_REPORT: N,
        Action.REFERENCE_MANAGE: N,
        Action.CASE_VIEW: N,
        Action.CONSENT_OVERRIDE: N,
        Action.CASE_IMPORT: N,
        Action.PERSON_MERGE: N,
        Action.PROVIDERS_MANAGE: N,
        Action.TIP_TRIAGE: N,
        Action.HOTLINE_LOG: N,
    },
    # Investigation files (issue 11): the investigator's own unit's files; the prosecutor's office only the files
    # handed to it (a share naming sections). Coordinators and analysts see aggregates only (stats.view).
    Role.INVESTIGATOR: {
        **_FRONTLINE,
        Action.INVESTIGATION_VIEW: A,
        Action.INVESTIGATION_EDIT: A,
    },
    Role.PROSECUTOR: {
        **_FRONTLINE,
        Action.PERSON_CREATE: A,
        Action.PERSON_EDIT: A,
        Action.INVESTIGATION_VIEW: S,
        Action.INVESTIGATION_REVIEW: S,
        Action.PROSECUTION_CHARGE: S,
        Action.PROSECUTION_COURT: S,
    },
    Role.CASE_WORKER: {**_FRONTLINE, Action.CONSENT_OVERRIDE: A, Action.CASE_IMPORT: A},
    # Shelters, clinics, legal aid: only what a referral shared with them.
    Role.SERVICE_PROVIDER: {
        Action.PERSON_VIEW: S,
        Action.PERSON_VIEW_IDENTITY: S,
        Action.REFERENCE_VIEW: N,
        Action.CASE_VIEW: S,
        Action.REFERRAL_RESPOND: A,
        Action.SERVICE_RECORD: S,
        Action.PROVIDERS_MANAGE: A,
    },
    # Call-centre staff: log calls (no identity registry access); coordinators and case workers convert them.
    Role.HOTLINE_OPERATOR: {
        Action.HOTLINE_LOG: A,
        Action.REFERENCE_VIEW: N,
    },
    Role.LABOUR_OFFICER: dict(_FRONTLINE),
    Role.IMMIGRATION_OFFICER: dict(_FRONTLINE),
    Role.CONSULAR_OFFICER: dict(_FRONTLINE),
    # Aggregates only, never identity.
    Role.DATA_ANALYST: {
        Action.STATS_VIEW: N,
        Action.STATS_REPORT: N,
        Action.REFERENCE_VIEW: N,
    },
    # The audit trail only.
    Role.AUDITOR: {
        Action.AUDIT_VIEW: N,
        Action.AUDIT_EXPORT: N,
        Action.BREAKGLASS_REVIEW: N,
        Action.REFERENCE_VIEW: N,
    },
}

# Recruitment integrity (issue 12): the agency register is national data about organisations. Enforcement roles
# read it; labour officers keep it and alone change a licence status.
for _role, _grants in {
    Role.LABOUR_OFFICER: {Action.RECRUITER_VIEW: N, Action.RECRUITER_MANAGE: N, Action.RECRUITER_STATUS: N},
    Role.COORDINATOR: {Action.RECRUITER_VIEW: N},
    Role.INVESTIGATOR: {Action.RECRUITER_VIEW: N},
    Role.PROSECUTOR: {Action.RECRUITER_VIEW: N},
    Role.IMMIGRATION_OFFICER: {Action.RECRUITER_VIEW: N},
    Role.CONSULAR_OFFICER: {Action.RECRUITER_VIEW: N},
}.items():
    MATRIX[_role] = {**MATRIX[_role], **_grants}

# The job-offer risk check (issue 12): the rules are national reference data about offers, not about persons.
# Labour officers and coordinators keep them (another officer of either role reviews and publishes); roles that
# advise job seekers or victims use the officer page.
_JOBCHECK_KEEPERS = {Action.JOBCHECK_USE: N, Action.JOBCHECK_RULES_EDIT: N, Action.JOBCHECK_RULES_PUBLISH: N}
for _role, _grants in {
    Role.LABOUR_OFFICER: _JOBCHECK_KEEPERS,
    Role.COORDINATOR: _JOBCHECK_KEEPERS,
    Role.CASE_WORKER: {Action.JOBCHECK_USE: N},
    Role.HOTLINE_OPERATOR: {Action.JOBCHECK_USE: N},
    Role.IMMIGRATION_OFFICER: {Action.JOBCHECK_USE: N},
    Role.CONSULAR_OFFICER: {Action.JOBCHECK_USE: N},
    Role.INVESTIGATOR: {Action.JOBCHECK_USE: N},
}.items():
    MATRIX[_role] = {**MATRIX[_role], **_grants}
# Complaints about recruitment (issue 12): no agency owns a public complaint (national, as public tips). Labour
# officers triage them; coordinators and investigators read them; consular and immigration officers file them.
for _role, _grants in {
    Role.LABOUR_OFFICER: {
        Action.COMPLAINT_VIEW: N,
        Action.COMPLAINT_FILE: N,
        Action.COMPLAINT_TRIAGE: N,
        Action.COMPLAINT_EVIDENCE: N,
        Action.RECRUITER_WATCH: N,
    },
    Role.COORDINATOR: {Action.COMPLAINT_VIEW: N, Action.COMPLAINT_FILE: N, Action.RECRUITER_WATCH: N},
    Role.INVESTIGATOR: {Action.COMPLAINT_VIEW: N, Action.RECRUITER_WATCH: N},
    Role.IMMIGRATION_OFFICER: {Action.COMPLAINT_FILE: N},
    Role.CONSULAR_OFFICER: {Action.COMPLAINT_FILE: N},
}.items():
    MATRIX[_role] = {**MATRIX[_role], **_grants}
# Officers who meet complainants also file complaints for them: the DCI (investigators, who then read them) and
# case workers (a victim tells them how she was recruited). Labour officers (NEA among them) and the Diaspora
# Affairs desk (consular officers) already file them above.
for _role, _grants in {
    Role.INVESTIGATOR: {Action.COMPLAINT_FILE: N},
    Role.CASE_WORKER: {Action.COMPLAINT_FILE: N},
}.items():
    MATRIX[_role] = {**MATRIX[_role], **_grants}

# Investigation leads (issues 11 and 12): frontline officers send leads (a coordinator from a tip, a labour officer
# from a complaint, a case worker from a case); the receiving unit's investigators see and act on them.
for _role in (
    Role.COORDINATOR,
    Role.INVESTIGATOR,
    Role.PROSECUTOR,
    Role.CASE_WORKER,
    Role.LABOUR_OFFICER,
    Role.IMMIGRATION_OFFICER,
    Role.CONSULAR_OFFICER,
):
    MATRIX[_role] = {**MATRIX[_role], Action.LEAD_SEND: A}
MATRIX[Role.INVESTIGATOR] = {**MATRIX[Role.INVESTIGATOR], Action.LEAD_VIEW: A, Action.LEAD_HANDLE: A}


# The National Assistance Trust Fund (issue 11, s.22-24): the fund's secretariat keeps the ledger; coordinators and
# auditors read it. The ledger names victim cases by case number only, never a person.
MATRIX[Role.TRUST_FUND_OFFICER] = {
    Action.TRUSTFUND_VIEW: N,
    Action.TRUSTFUND_RECORD: N,
    Action.REFERENCE_VIEW: N,
}
for _role in (Role.COORDINATOR, Role.AUDITOR):
    MATRIX[_role] = {**MATRIX[_role], Action.TRUSTFUND_VIEW: N}
# The caseload (issue 13): cases per officer with their overdue items, counts over cases the role already sees.
# Case workers manage their agency's caseload (a team lead is a case worker); the coordinator reads it nationally,
# one agency at a time.
MATRIX[Role.CASE_WORKER] = {**MATRIX[Role.CASE_WORKER], Action.CASELOAD_VIEW: A}
MATRIX[Role.COORDINATOR] = {**MATRIX[Role.COORDINATOR], Action.CASELOAD_VIEW: N}
# Statistics (issue 14): auditors read the national figures too (aggregates only, small cells suppressed), to
# check what is reported; the figures are read-only for everyone.
MATRIX[Role.AUDITOR] = {**MATRIX[Role.AUDITOR], Action.STATS_VIEW: N}
# Data exchange (issue 14): a de-identified HTCDS file of the cases whose person agreed to anonymised research use.
# Coordinators for the country; case workers for their own agency's cases only (never another agency's, even shared).
MATRIX[Role.COORDINATOR] = {**MATRIX[Role.COORDINATOR], Action.HTCDS_EXPORT: N}
MATRIX[Role.CASE_WORKER] = {**MATRIX[Role.CASE_WORKER], Action.HTCDS_EXPORT: A}
# Attachments (issue 13): the coordinator supervises the agency's records and may remove any attachment of them
# (with a reason, audited); everyone else removes only what they uploaded.
MATRIX[Role.COORDINATOR] = {**MATRIX[Role.COORDINATOR], Action.ATTACHMENT_REMOVE: A}

# The National Plan of Action (issue 14): the Secretariat's coordinators keep the plans and the progress reports;
# agencies record their own trainings and campaigns and report progress on the activities they are responsible
# for (agency scope: the plans are national documents, the trainings and campaigns belong to their agency);
# analysts and auditors read everything. Nothing of the plan names a person.
_NPA_AGENCY = {
    Action.NPA_VIEW: A,
    Action.NPA_REPORT: A,
    Action.NPA_TRAINING_RECORD: A,
}
for _role in (
    Role.INVESTIGATOR,
    Role.PROSECUTOR,
    Role.CASE_WORKER,
    Role.SERVICE_PROVIDER,
    Role.LABOUR_OFFICER,
    Role.IMMIGRATION_OFFICER,
    Role.CONSULAR_OFFICER,
):
    MATRIX[_role] = {**MATRIX[_role], **_NPA_AGENCY}
MATRIX[Role.COORDINATOR] = {
    **MATRIX[Role.COORDINATOR],
    Action.NPA_VIEW: N,
    Action.NPA_MANAGE: N,
    Action.NPA_REPORT: N,
    Action.NPA_TRAINING_RECORD: A,
}
for _role in (Role.DATA_ANALYST, Role.AUDITOR):
    MATRIX[_role] = {**MATRIX[_role], Action.NPA_VIEW: N}


def scope_of(role: str, action: Action | str) -> Scope | None:
    try:
        return MATRIX[Role(role)].get(Action(action))
    except ValueError:
        return None


def role_sees_identity(role: str) -> bool:
    return scope_of(role, Action.PERSON_VIEW_IDENTITY) is not None


def role_requires_mfa(role: str) -> bool:
    """TOTP is mandatory for every role that can see identity data, and for those who grant access."""
    return (
        role_sees_identity(role)
        or scope_of(role, Action.USERS_MANAGE) is not None
        or scope_of(role, Action.HOTLINE_LOG) is not None  # callers disclose identifying details
        or role == Role.AUDITOR
        or role == Role.TRUST_FUND_OFFICER  # moves public money
    )
