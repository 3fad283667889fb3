"""Seed the national competency dictionary of PermenPANRB 38/2017 (rules §5.1): the eight
managerial competencies M1–M8 and the socio-cultural Perekat Bangsa (SK1)."""

from django.db import migrations

NASIONAL = [
    ("M1", "Integritas", "MANAJERIAL"),
    ("M2", "Kerjasama", "MANAJERIAL"),
    ("M3", "Komunikasi", "MANAJERIAL"),
    ("M4", "Orientasi pada Hasil", "MANAJERIAL"),
    ("M5", "Pelayanan Publik", "MANAJERIAL"),
    ("M6", "Pengembangan Diri dan Orang Lain", "MANAJERIAL"),
    ("M7", "Mengelola Perubahan", "MANAJERIAL"),
    ("M8", "Pengambilan Keputusan", "MANAJERIAL"),
    ("SK1", "Perekat Bangsa", "SOSIAL_KULTURAL"),
]


def seed(apps, schema_editor):
    Kompetensi = apps.get_model("talenta", "Kompetensi")
    for kode, nama, jenis in NASIONAL:
        Kompetensi.objects.update_or_create(instansi=None, kode=kode, defaults={"nama": nama, "jenis": jenis})


def unseed(apps, schema_editor):
    Kompetensi = apps.get_model("talenta", "Kompetensi")
    Kompetensi.objects.filter(instansi=None, kode__in=[kode for kode, _n, _j in NASIONAL]).delete()


class Migration(migrations.Migration):
    dependencies = [("talenta", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
