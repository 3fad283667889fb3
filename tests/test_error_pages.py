"""Refusals answer with a page in the user's language, not Django's English default."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_403_is_explained_in_indonesian(as_user, org):
    response = as_user(org.pegawai).get(reverse("accounts:unit_list"))
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


def test_a_404_is_explained_in_indonesian(as_user, org, outsider):
    response = as_user(outsider.hr_admin).get(reverse("accounts:pegawai_detail", args=[org.pegawai.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Halaman tidak ditemukan" in page and org.pegawai.nama not in page


@pytest.mark.parametrize("path", ["/?q=a%00b", "/s/tidak-ada/?x=%00"])
def test_a_nul_character_in_a_parameter_answers_400_in_indonesian(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "karakter yang tidak diizinkan" in response.content.decode()
