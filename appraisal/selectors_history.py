"""The audit trail of one SKP: every change to it, its RHK, IKI, behaviour expectations
and lampiran (django-simple-history), with who and when and what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .models import IKI, RHK, SKP, LampiranSKP, SKPPerilaku

TRACKED = {
    SKP: ["status", "pendekatan", "mulai", "selesai", "pejabat_penilai", "revisi_ke", "is_current"],
    RHK: ["jenis", "uraian", "rhk_atasan", "perspektif"],
    IKI: ["aspek", "uraian", "target_min", "target_max", "satuan", "arah", "target_text"],
    SKPPerilaku: ["ekspektasi_khusus"],
    LampiranSKP: ["jenis", "uraian"],
}


@dataclass
class Change:
    pada: datetime
    oleh: str
    objek: str
    label: str
    jenis: str  # "+" created, "~" changed, "-" deleted
    perubahan: list[tuple[str, object, object]] = field(default_factory=list)


def _value(record, name):
    field_obj = record._meta.get_field(name)
    if field_obj.is_relation:
        return getattr(record, field_obj.attname)
    if field_obj.choices:
        return getattr(record, f"get_{name}_display")()
    return getattr(record, name)


def _changes(model, records, users: dict) -> list[Change]:
    """Pair each historical record with the previous one of the same object, in Python."""
    out, previous = [], {}
    fields = TRACKED[model]
    for record in records:  # ordered by (id, history_date)
        before = previous.get(record.id)
        diffs = []
        if record.history_type == "~" and before is not None:
            for name in fields:
                old, new = _value(before, name), _value(record, name)
                if old != new:
                    diffs.append((str(record._meta.get_field(name).verbose_name), old, new))
            if not diffs:
                previous[record.id] = record
                continue
        label = getattr(record, "uraian", "") or getattr(record, "ekspektasi_khusus", "") or ""
        out.append(
            Change(
                pada=record.history_date,
                oleh=users.get(record.history_user_id, "—"),
                objek=str(model._meta.verbose_name),
                label=str(label)[:120],
                jenis=record.history_type,
                perubahan=diffs,
            )
        )
        previous[record.id] = record
    return out


def skp_history(*, skp: SKP) -> list[Change]:
    """All changes to ``skp`` and its parts, newest first. Six queries whatever the history size."""
    from accounts.models import User

    rhk_history = list(RHK.history.filter(skp_id=skp.pk).order_by("id", "history_date"))
    rhk_ids = {r.id for r in rhk_history}
    batches = [
        (SKP, list(SKP.history.filter(id=skp.pk).order_by("id", "history_date"))),
        (RHK, rhk_history),
        (IKI, list(IKI.history.filter(rhk_id__in=rhk_ids).order_by("id", "history_date"))),
        (SKPPerilaku, list(SKPPerilaku.history.filter(skp_id=skp.pk).order_by("id", "history_date"))),
        (LampiranSKP, list(LampiranSKP.history.filter(skp_id=skp.pk).order_by("id", "history_date"))),
    ]
    user_ids = {r.history_user_id for _, records in batches for r in records if r.history_user_id}
    users = {}
    for user in User.objects.filter(pk__in=user_ids).select_related("pegawai"):
        users[user.pk] = user.pegawai.nama_lengkap if user.pegawai_id else user.get_username()
    changes = [change for model, records in batches for change in _changes(model, records, users)]
    return sorted(changes, key=lambda c: c.pada, reverse=True)
