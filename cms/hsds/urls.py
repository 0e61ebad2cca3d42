"""URLs of the Open Referral HSDS feed, included under /api/hsds/."""

from django.urls import path

from cms.hsds import views

app_name = "hsds"
urlpatterns = [
    path("", views.index, name="index"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:item_id>", views.organization, name="organization"),
    path("services", views.services, name="services"),
    path("services/<str:item_id>", views.service, name="service"),
    path("locations", views.locations, name="locations"),
    path("locations/<str:item_id>", views.location, name="location"),
]
