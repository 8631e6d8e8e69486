from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyType(models.TextChoices):
    POLICE = "police", _("Police unit")
    PROSECUTION = "prosecution", _("Prosecution")
    JUDICIARY = "judiciary", _("Judiciary")
    CHILDREN = "children", _("Children's services")
    SECRETARIAT = "secretariat", _("CTiP Secretariat")
    LABOUR = "labour", _("Labour / NEA")
    IMMIGRATION = "immigration", _("Immigration")
    DIASPORA = "diaspora", _("Diaspora affairs / mission")
    SHELTER = "shelter", _("Shelter")
    NGO = "ngo", _("NGO / FBO")
    HEALTH = "health", _("Health")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERNATIONAL = "international", _("International organisation")


# HTCDS v2.0 org_Type value names (exact), for export.
HTCDS_ORG_TYPE = {
    AgencyType.POLICE: "LawEnforcement",
    AgencyType.PROSECUTION: "LegalService",
    AgencyType.JUDICIARY: "LegalService",
    AgencyType.CHILDREN: "CentralGovernmentOrganisation",
    AgencyType.SECRETARIAT: "CentralGovernmentOrganisation",
    AgencyType.LABOUR: "CentralGovernmentOrganisation",
    AgencyType.IMMIGRATION: "ImmigrationService",
    AgencyType.DIASPORA: "CentralGovernmentOrganisation",
    AgencyType.SHELTER: "NGO",
    AgencyType.NGO: "NGO",
    AgencyType.HEALTH: "HealthServiceOrganisation",
    AgencyType.LEGAL_AID: "LegalService",
    AgencyType.INTERNATIONAL: "NGO",
}


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("System administrator")
    COORDINATOR = "coordinator", _("National coordinator")
    INVESTIGATOR = "investigator", _("Investigator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    CASE_WORKER = "case_worker", _("Case worker")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    LABOUR_OFFICER = "labour_officer", _("Labour officer")
    IMMIGRATION_OFFICER = "immigration_officer", _("Immigration officer")
    CONSULAR_OFFICER = "consular_officer", _("Consular officer")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")
    DATA_ANALYST = "data_analyst", _("Data analyst")
    AUDITOR = "auditor", _("Auditor")
    TRUST_FUND_OFFICER = "trust_fund_officer", _("Trust Fund officer")


class BreakGlassReview(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    JUSTIFIED = "justified", _("Justified")
    UNJUSTIFIED = "unjustified", _("Not justified")
