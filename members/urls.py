from django.urls import path

from members import views
from members.cases import views as cases

app_name = "members"
urlpatterns = [
    path("", views.account, name="account"),
    path("profile/", views.profile, name="profile"),
    path("activity/", views.activity, name="activity"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path("unsubscribe/<str:token>/", views.unsubscribe_marketing, name="unsubscribe"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/export/", views.privacy_export, name="privacy_export"),
    path("privacy/delete/", views.delete_account, name="delete_account"),
]
