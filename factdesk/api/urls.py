from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from factdesk.api import desk, views

app_name = "api"

router = DefaultRouter()
router.register("fact-checks", views.FactCheckViewSet, basename="fact-check")
router.register("desk/claims", desk.DeskClaimViewSet, basename="desk-claim")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api-tokens/", views.tokens, name="tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
