from django.urls import path

from tandem.identity import views

app_name = "identity"
urlpatterns = [
    path("link/", views.link_required, name="link_required"),
    path("link/<str:token>/", views.link_confirm, name="link_confirm"),
]
