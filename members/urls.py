from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.account, name="account"),
    path("profile/", views.profile, name="profile"),
]
