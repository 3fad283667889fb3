"""The citizen's SKM pages under /s/: no login; the code is a SaluranSurvei's (the QR poster's)."""

from django.urls import path

from .views import public

app_name = "surveys_public"

urlpatterns = [
    path("<slug:kode>/", public.survey_form, name="form"),
    path("<slug:kode>/terima-kasih/", public.survey_thanks, name="thanks"),
    path("<slug:kode>/hasil/", public.published_results, name="results"),
]
