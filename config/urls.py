from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ctip.accounts.views import set_language

api_v1 = [
    path("", include("ctip.accounts.api_urls")),
    path("", include("ctip.audit.api_urls")),
    path("reference/", include("ctip.reference.api_urls")),
    path("", include("ctip.people.api_urls")),
    path("referrals/", include("ctip.referrals.api_urls")),
    path("intake/", include("ctip.intake.api_urls")),
    path("", include("ctip.cases.api_urls")),
    path("recruitment/", include("ctip.recruitment.api_urls")),
    path("jobcheck/", include("ctip.jobcheck.api_urls")),
    path("stats/", include("ctip.stats.api_urls")),
]

urlpatterns = [
    path("", include("ctip.core.urls")),
    path("", include("ctip.portal.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("ctip.accounts.urls")),
    path("audit/", include("ctip.audit.urls")),
    path("reference/", include("ctip.reference.urls")),
    path("people/", include("ctip.people.urls")),
    path("cases/", include("ctip.cases.urls")),
    path("referrals/", include("ctip.referrals.urls")),
    path("intake/", include("ctip.intake.urls")),
    path("justice/", include("ctip.justice.urls")),
    path("attachments/", include("ctip.attachments.urls")),
    path("leads/", include("ctip.leads.urls")),
    path("trustfund/", include("ctip.trustfund.urls")),
    path("report/", include("ctip.intake.public_urls")),
    path("recruitment/", include("ctip.recruitment.urls")),
    path("verify/", include("ctip.recruitment.public_urls")),
    path("exports/", include("ctip.exports.urls")),
    path("jobcheck/", include("ctip.jobcheck.urls")),
    path("job-check/", include("ctip.jobcheck.public_urls")),
    path("notifications/", include("ctip.notifications.urls")),
    path("stats/", include("ctip.stats.urls")),
    path("exchange/", include("ctip.exchange.urls")),
    path("npa/", include("ctip.npa.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL (?script=): no inline script, so the
    # page runs under the same Content-Security-Policy as every other.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/swagger_ui.html"),
        name="api-docs",
    ),
]

handler400 = "ctip.core.views.bad_request"
handler403 = "ctip.core.views.permission_denied"
handler404 = "ctip.core.views.page_not_found"
handler500 = "ctip.core.views.server_error"
