from django.urls import path

from factdesk.signin import views

app_name = "signin"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", views.login_code, name="login_code"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/security/", views.security, name="security"),
    path("accounts/sso/start/", views.SSOStart.as_view(), name="sso_start"),
    path("accounts/sso/callback/", views.SSOCallback.as_view(), name="sso_callback"),
]
