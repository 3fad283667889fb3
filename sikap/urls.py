from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("skp/", include("appraisal.urls")),
    path("s/", include("surveys.urls_public")),
    path("skm/", include("surveys.urls_admin")),
    path("laporan/", include("reports.urls")),
    path("api/v1/", include("appraisal.urls.api")),
    path("talenta/", include("talenta.urls")),
    path("", include("accounts.urls")),
]
