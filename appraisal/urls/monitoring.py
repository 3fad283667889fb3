"""The HR and organisation-wide SKP screens (under /skp/)."""

from django.urls import path

from ..views import monitoring as views

urlpatterns = [
    path("periode/", views.periode_list, name="periode_list"),
    path("periode/buka/", views.periode_open, name="periode_open"),
    path("progres/", views.progress, name="progress"),
    path("pohon/", views.cascade_tree, name="cascade_tree"),
    path("pohon/<int:pegawai_pk>/bawahan/", views.cascade_tree_children, name="cascade_tree_children"),
]
