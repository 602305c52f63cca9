"""Root URL configuration: pages by area, the API under /api/v1/, accounts under /accounts/."""

from django.contrib import admin
from django.urls import include, path

from tandem.api import api
from tandem.identity.views import admin_password_change, admin_sign_in
from tandem.programs.urls import participant_urlpatterns
from tandem.programs.views.participant import home
from tandem.workspace.urls import staff_urlpatterns as workspace_staff_urlpatterns

urlpatterns = [
    path("", home, name="home"),
    path("", include((participant_urlpatterns, "participant"))),
    path("programs/", include("tandem.programs.urls")),
    path("programs/", include((workspace_staff_urlpatterns, "workspace_staff"))),
    path("", include("tandem.outcomes.urls")),
    path("partnerships/", include("tandem.workspace.urls")),
    path("", include("tandem.schedules.urls")),
    path("account/notifications/", include("tandem.notifications.urls")),
    path("", include("tandem.wellbeing.urls")),
    path("", include("tandem.rounds.urls")),
    path("", include("tandem.circles.urls")),
    path("", include("tandem.engagement.urls")),
    path("", include("tandem.surveys.urls")),
    path("", include("tandem.insights.urls")),
    path("", include("tandem.research.urls")),
    path("account/", include("tandem.accounts.urls")),
    path("account/", include("tandem.privacy.urls")),
    path("operator/", include("tandem.audit.urls")),
    path("account/institution/", include("tandem.identity.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    # The admin signs in and changes passwords through the site's own pages (second factor).
    path("admin/login/", admin_sign_in, name="admin_sign_in"),
    path("admin/password_change/", admin_password_change, name="admin_password_change"),
    path("admin/", admin.site.urls),
]
