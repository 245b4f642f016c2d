from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path(
        "workspace/me/digest/",
        views.digest_preference,
        name="digest_preference",
    ),
    path(
        "workspace/messages/<int:pk>/retry/",
        views.message_retry,
        name="message_retry",
    ),
]
