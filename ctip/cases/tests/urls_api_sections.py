"""Test URLconf: the case-section API mounted as config/urls.py mounts the case API (under /api/v1/), so its
tests do not depend on when the project URLconf includes ctip.cases.api_sections_urls."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("ctip.cases.api_sections_urls"))]
