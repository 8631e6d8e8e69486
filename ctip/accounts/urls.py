from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/setup/", views.mfa_setup, name="mfa_setup"),
    path("2fa/verify/", views.mfa_verify, name="mfa_verify"),
    path("profile/", views.profile, name="profile"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:public_id>/", views.user_detail, name="user_detail"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_edit, name="agency_create"),
    path("agencies/<uuid:public_id>/", views.agency_edit, name="agency_edit"),
    path("break-glass/", views.breakglass_list, name="breakglass_list"),
    path("break-glass/<uuid:public_id>/", views.breakglass_review, name="breakglass_review"),
    path("roles/", views.role_matrix, name="role_matrix"),
]
