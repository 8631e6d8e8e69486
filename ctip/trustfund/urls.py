from django.urls import path

from . import views

app_name = "trustfund"

urlpatterns = [
    path("", views.index, name="index"),
    path("receipts/new/", views.receipt, name="receipt"),
    path("disbursements/new/", views.disbursement, name="disbursement"),
    path("statement/", views.statement, name="statement"),
    path("statement/pdf/", views.statement_pdf, name="statement_pdf"),
    path("statement/xlsx/", views.statement_xlsx, name="statement_xlsx"),
    path("<uuid:public_id>/", views.entry, name="entry"),
    path("<uuid:public_id>/reverse/", views.reverse_entry, name="reverse"),
]
