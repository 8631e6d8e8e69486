from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "ctip.recruitment"
    label = "recruitment"
    verbose_name = _("Recruitment agencies")

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.RecruitmentEvent, subjects=events.SUBJECTS)  # audit event names
        catalogue.register(events.ComplaintEvent, subjects=events.SUBJECTS)

        from ctip.cases import timeline

        timeline.register("case.from_complaint", _("Opened from recruitment complaint %(reference)s."))

        from ctip.leads import sources

        from .complaints_selectors import complaint_url_for_user

        sources.register("complaint", complaint_url_for_user)  # a lead's link back to its complaint
