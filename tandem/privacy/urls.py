from django.urls import path

from tandem.privacy import views

app_name = "privacy"
urlpatterns = [
    path("data/", views.my_data, name="my_data"),
    path("data/download/", views.my_data_download, name="download"),
    path("delete/", views.account_delete, name="delete"),
]
