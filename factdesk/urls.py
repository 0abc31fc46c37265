from django.contrib import admin
from django.urls import include, path

from factdesk.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("factdesk.signin.urls")),
    path("accounts/", include("factdesk.accounts.urls")),
    path("admin/", admin.site.urls),
    path("articles/", include("factdesk.articles.urls")),
    path("notifications/", include("factdesk.notifications.urls")),
    path("", include("factdesk.sources.urls")),
    path("", include("factdesk.intake.urls")),
    path("", include("factdesk.public.urls")),
    path("", include("factdesk.api.urls")),
    path("", include("factdesk.webhooks.urls")),
    path("", include("factdesk.exchange.urls")),
    path("", include("factdesk.checkimport.urls")),
    path("", include("factdesk.privacy.urls")),
    path("", include("factdesk.claims.urls")),
]

handler400 = "factdesk.core.views.bad_request"
handler403 = "factdesk.core.views.permission_denied"
handler404 = "factdesk.core.views.page_not_found"
handler500 = "factdesk.core.views.server_error"
