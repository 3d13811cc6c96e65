from django.urls import path

from offers import trip_views

app_name = "trips"
urlpatterns = [
    path("", trip_views.trip_list, name="list"),
    path("new/", trip_views.trip_new, name="new"),
    path("<int:pk>/", trip_views.trip_detail, name="detail"),
    path("<int:pk>/remove/", trip_views.trip_remove, name="remove"),
    path("<int:pk>/trip.ics", trip_views.trip_ics, name="ics"),
]
