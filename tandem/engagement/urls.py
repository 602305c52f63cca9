from django.urls import path

from tandem.engagement import views

app_name = "engagement"
urlpatterns = [
    path("partnerships/<int:partnership_id>/first-contact/", views.partnership, name="partnership"),
    path("partnerships/<int:partnership_id>/first-contact/answer/", views.answer, name="answer"),
    path("partnerships/<int:partnership_id>/first-contact/nudge/", views.nudge, name="nudge"),
    path("partnerships/<int:partnership_id>/first-contact/rematch/", views.rematch, name="rematch"),
    path("first-contact/<str:token>/", views.link, name="link"),
    path("programs/<slug:slug>/engagement/", views.at_risk, name="at_risk"),
    path("programs/<slug:slug>/engagement/rules/", views.rules, name="rules"),
]
