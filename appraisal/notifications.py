"""E-mails of the SKP workflow (console backend by default, SMTP by EMAIL_URL)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import SKP

# event → (who receives it, template)
EVENTS = {
    "submitted": ("pejabat_penilai", "appraisal/email/skp_submitted.txt"),
    "returned": ("pegawai", "appraisal/email/skp_returned.txt"),
    "approved": ("pegawai", "appraisal/email/skp_approved.txt"),
}


def _address(pegawai) -> str:
    user = getattr(pegawai, "user", None)
    return pegawai.email or (user.email if user else "")


def skp_event_mail(*, skp_id: int, event: str) -> int:
    """Send the mail for ``event``; returns how many were sent (0 when the recipient has no address)."""
    skp = SKP.objects.select_related("pegawai__user", "pejabat_penilai__user", "periode").get(pk=skp_id)
    role, template = EVENTS[event]
    recipient = getattr(skp, role)
    if recipient is None or not _address(recipient):
        return 0
    last = skp.catatan.order_by("-pada", "-pk").first()
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"skp": skp, "catatan": last.catatan if last else ""})
        subject, _, text = body.partition("\n")
        return send_mail(subject.strip(), text.strip(), None, [_address(recipient)])


EVALUATION_EVENTS = {
    "finalized": ("pegawai", "appraisal/email/evaluasi_final.txt"),
    "objected": ("atasan_pejabat_penilai", "appraisal/email/keberatan_diajukan.txt"),
    "objection_decided": ("pegawai", "appraisal/email/keberatan_diputus.txt"),
}


def evaluation_event_mail(*, evaluasi_id: int, event: str) -> int:
    from .models import Evaluasi

    evaluasi = Evaluasi.objects.select_related(
        "skp__pegawai__user", "skp__atasan_pejabat_penilai__user", "periode_evaluasi__periode_skp"
    ).get(pk=evaluasi_id)
    role, template = EVALUATION_EVENTS[event]
    recipient = getattr(evaluasi.skp, role)
    if recipient is None or not _address(recipient):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"evaluasi": evaluasi})
        subject, _, text = body.partition("\n")
        return send_mail(subject.strip(), text.strip(), None, [_address(recipient)])
