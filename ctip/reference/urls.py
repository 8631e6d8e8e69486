from django.urls import path

from . import views

app_name = "reference"

urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/<str:code>/", views.indicator_edit, name="indicator_edit"),
]
