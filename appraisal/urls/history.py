from django.urls import path

from ..views import history

urlpatterns = [
    path("<int:pk>/riwayat/", history.skp_history_view, name="skp_history"),
]
