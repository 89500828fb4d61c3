from django.urls import path

from ipsportal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifikationer/", views.notification_list, name="list"),
    path("notifikationer/<int:notification_id>/", views.notification_open, name="open"),
    path("notifikationer/laest/", views.notifications_read, name="read_all"),
]
