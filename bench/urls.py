"""The project's URLs plus /bench/trivial/, the baseline every page is compared with: a Django
view that runs the whole middleware stack and returns a few bytes without touching the database."""

from django.http import HttpResponse
from django.urls import path

from sikap.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *project_urlpatterns]
