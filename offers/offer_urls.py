from django.urls import path

from offers import offer_views

app_name = "offer"
urlpatterns = [
    path("", offer_views.offer_list, name="list"),
    path("<slug:slug>/", offer_views.offer_detail, name="detail"),
    path("<slug:slug>/claim/", offer_views.offer_claim, name="claim"),
]
