"""Statuses and kinds of the investigation file (issue 11). Each has a check constraint on its model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WITH_ODPP = "with_odpp", _("With the prosecutor")
    CHARGE_ADVISED = "charge_advised", _("Charge advised")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", _("Prosecutor advised no further action")
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("Insufficient evidence")
    SUSPECT_NOT_TRACED = "suspect_not_traced", _("Suspect not traced")
    SUSPECT_DECEASED = "suspect_deceased", _("Suspect deceased")
    MERGED = "merged", _("Joined to another file")
    OTHER = "other", _("Other")


class InvestigatingUnit(models.TextChoices):
    AHTCPU = "ahtcpu", _("Anti-Human Trafficking and Child Protection Unit (AHTCPU)")
    TOCU = "tocu", _("Transnational Organised Crime Unit (TOCU)")
    DCI = "dci", _("Directorate of Criminal Investigations (county)")
    STATION = "station", _("Police station")
    OTHER = "other", _("Other unit")


class Origin(models.TextChoices):
    OWN = "own", _("Opened on its own")
    CASE = "case", _("From a victim case")


class VictimRole(models.TextChoices):
    COMPLAINANT = "complainant", _("Complainant")
    WITNESS = "witness", _("Witness")


class SuspectKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    MPESA_NUMBER = "mpesa_number", _("M-Pesa number")
    MPESA_CODE = "mpesa_code", _("M-Pesa transaction code")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    ADDRESS = "address", _("Address")


class EvidenceItem(models.TextChoices):
    """The police-prosecutor SOP evidence checklist, in its order."""

    VICTIM_STATEMENT = "victim_statement", _("Victim statement")
    AGE_ASSESSMENT = "age_assessment", _("Age assessment (child)")
    TRAVEL_DOCUMENTS = "travel_documents", _("Travel documents")
    CONTRACTS = "contracts", _("Contracts")
    PAYMENT_RECORDS = "payment_records", _("Payment records")
    PHONE_RECORDS = "phone_records", _("Phone records")
    MEDICAL_REPORT = "medical_report", _("Medical report")
    WITNESS_STATEMENTS = "witness_statements", _("Witness statements")
    EXHIBIT_REGISTER = "exhibit_register", _("Exhibit register")


class EvidenceState(models.TextChoices):
    PRESENT = "present", _("Present")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    MISSING = "missing", _("Missing")


class Advice(models.TextChoices):
    CHARGE = "charge", _("Charge")
    FURTHER_INVESTIGATION = "further_investigation", _("Further investigation")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")


class FileSection(models.TextChoices):
    """Parts of a file a hand-over share can name. The header (number, unit, status) and the exchange with the
    prosecutor are seen by whoever sees the file."""

    VICTIMS = "victims", _("Linked victim cases")
    SUSPECTS = "suspects", _("Suspects")
    OFFENCES = "offences", _("Offences")
    IDENTIFIERS = "identifiers", _("Identifiers found")
    EVIDENCE = "evidence", _("Evidence checklist")
    ACTIONS = "actions", _("Action log")


class Plea(models.TextChoices):
    NOT_TAKEN = "not_taken", _("Plea not yet taken")
    GUILTY = "guilty", _("Guilty")
    NOT_GUILTY = "not_guilty", _("Not guilty")


# --- prosecution and court ---------------------------------------------------------------------------------------


class CourtLevel(models.TextChoices):
    HIGH_COURT = "high_court", _("High Court")
    MAGISTRATES = "magistrates", _("Magistrates' court")


class CourtEventKind(models.TextChoices):
    MENTION = "mention", _("Mention")
    PLEA = "plea", _("Plea")
    HEARING = "hearing", _("Hearing")
    RULING = "ruling", _("Ruling")
    JUDGMENT = "judgment", _("Judgment")
    SENTENCING = "sentencing", _("Sentencing")


class CourtEventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    ADJOURNED = "adjourned", _("Adjourned")


class AdjournmentReason(models.TextChoices):
    WITNESS_ABSENT = "witness_absent", _("Witness absent")
    ACCUSED_ABSENT = "accused_absent", _("Accused absent")
    COUNSEL_ABSENT = "counsel_absent", _("Counsel absent")
    PROSECUTION_NOT_READY = "prosecution_not_ready", _("Prosecution not ready")
    DEFENCE_NOT_READY = "defence_not_ready", _("Defence not ready")
    INTERPRETER_ABSENT = "interpreter_absent", _("Interpreter absent")
    COURT_NOT_SITTING = "court_not_sitting", _("Court not sitting")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    """The accused's sex, kept with the count for the figures (persons prosecuted and convicted by sex)."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not recorded")


class Verdict(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DISMISSED = "dismissed", _("Dismissed")
    DISCHARGED = "discharged", _("Discharged")


class Appellant(models.TextChoices):
    PROSECUTION = "prosecution", _("The prosecution")
    ACCUSED = "accused", _("The accused")


class AppealResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    DISMISSED = "dismissed", _("Appeal dismissed")
    ALLOWED = "allowed", _("Appeal allowed")
    SENTENCE_VARIED = "sentence_varied", _("Sentence varied")
    RETRIAL = "retrial", _("Retrial ordered")
    WITHDRAWN = "withdrawn", _("Appeal withdrawn")


class Flag(models.TextChoices):
    """Problems made visible on a prosecution (issue 11)."""

    LIGHTER_CHARGES = "lighter_charges", _("Charged only under immigration or labour law, indicators show trafficking")
    VICTIM_ACCUSED = "victim_accused", _("A victim is also an accused (s.14)")
    PENDING = "pending", _("Pending with no hearing held")
    CHILD_VICTIM = "child_victim", _("Child victim")
