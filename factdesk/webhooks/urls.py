from django.urls import path

from factdesk.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.subscriptions, name="list"),
    path("webhooks/<int:subscription_id>/", views.subscription, name="subscription"),
    path("webhooks/<int:subscription_id>/active/", views.set_active, name="set_active"),
    path("webhooks/<int:subscription_id>/test/", views.send_test, name="test"),
    path("webhooks/deliveries/<int:delivery_id>/retry/", views.retry, name="retry"),
]
