"""Seed the seven BerAKHLAK core values and their 21 behaviour indicators (rules §1.5)."""

from django.db import migrations


def seed(apps, schema_editor):
    from appraisal.rules import BERAKHLAK

    CoreValue = apps.get_model("appraisal", "CoreValue")
    PanduanPerilaku = apps.get_model("appraisal", "PanduanPerilaku")
    for urutan, (kode, nama, panduan) in enumerate(BERAKHLAK, start=1):
        value, _ = CoreValue.objects.update_or_create(kode=kode, defaults={"nama": nama, "urutan": urutan})
        for huruf, teks in zip("abc", panduan, strict=True):
            PanduanPerilaku.objects.update_or_create(core_value=value, huruf=huruf, defaults={"teks": teks})


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
