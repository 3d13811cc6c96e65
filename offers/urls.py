from django.urls import path

from offers import views

app_name = "offers"
urlpatterns = [
    path("", views.flight_search, name="flight_search"),
    path("airports/", views.airport_suggestions, name="airport_suggestions"),
]
