"""Moderation of flagged SKM responses, under /skm/moderasi/, for the HR admin of the instansi.

A flagged response (DITANDAI: honeypot, too fast, repeated, rate limit) is not counted until a
person accepts it; a rejected one (DITOLAK) never is. The first line of every view is the access
check: 403 for anyone but the instansi's HR admin, 404 for a response of another instansi."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from sikap.params import as_id

from .. import rules, services
from ..forms import AKSI_TERIMA, ModerasiFilterForm, ModerasiForm
from ..models import PertanyaanUnsur, Respons, StatusRespons

PER_PAGE = 25

# --- Reading (scoped to the admin's instansi) --------------------------------------------------------


def _respons_of(instansi) -> QuerySet[Respons]:
    """Responses of ``instansi`` with everything the moderation pages show (no query per row)."""
    return (
        Respons.objects.filter(unit_layanan__instansi=instansi)
        .select_related("unit_layanan", "saluran", "petugas", "jenis_layanan", "dimoderasi_oleh")
        .prefetch_related("jawaban")
    )


def _get_respons_for_admin(request, pk: int) -> Respons:
    instansi = access.require_admin_instansi(request)
    try:
        return _respons_of(instansi).get(pk=pk)
    except Respons.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class Baris:
    """A response as the moderator reads it: its nine answers in unsur order and its reasons."""

    respons: Respons
    jawaban: list[tuple[str, str, int | None]]  # (kode, unsur, nilai)
    alasan: list[str]


def _baris(respons_list) -> list[Baris]:
    rows = []
    for respons in respons_list:
        nilai = {j.unsur: j.nilai for j in respons.jawaban.all()}
        alasan = [
            str(services.TANDA_LABELS.get(code, code))
            for code in filter(None, respons.tanda.split(services.TANDA_SEPARATOR))
        ]
        rows.append(Baris(respons, [(u.kode, u.nama, nilai.get(u.kode)) for u in rules.UNSUR], alasan))
    return rows


def _ids(values: list[str]) -> list[int]:
    """Response ids from a post; anything else was tampered with."""
    ids = [as_id(v) for v in values]
    if None in ids:
        raise Http404
    return sorted(set(ids))


def _back(kembali: str) -> str:
    """The list with the filters and page the moderator came from (only our own list)."""
    query = QueryDict(kembali or "").urlencode()
    return reverse("surveys:moderation") + (f"?{query}" if query else "")


# --- Views ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def moderation_list(request):
    instansi = access.require_admin_instansi(request)
    filters = ModerasiFilterForm(request.GET or None, instansi=instansi)
    flagged = _respons_of(instansi).filter(status=StatusRespons.DITANDAI)
    if filters.is_valid():
        if filters.cleaned_data["unit"]:
            flagged = flagged.filter(unit_layanan=filters.cleaned_data["unit"])
        if filters.cleaned_data["alasan"]:
            flagged = flagged.filter(tanda__contains=filters.cleaned_data["alasan"])
    page = Paginator(flagged.order_by("-diisi_pada", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/moderation/list.html",
        {
            "instansi": instansi,
            "filters": filters,
            "page": page,
            "rows": _baris(page.object_list),
            "filtered": any(request.GET.get(k) for k in ("unit", "alasan")),
            "kembali": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def moderation_detail(request, pk):
    respons = _get_respons_for_admin(request, pk)
    wording = {p.unsur: p for p in PertanyaanUnsur.objects.filter(unit_layanan_id=respons.unit_layanan_id)}
    row = _baris([respons])[0]
    answers = []
    for kode, unsur, nilai in row.jawaban:
        p = wording.get(kode)
        if p is not None:
            teks, labels = p.teks, (p.label_1, p.label_2, p.label_3, p.label_4)
        else:
            teks, labels = rules.UNSUR_BY_KODE[kode].pertanyaan, rules.UNSUR_BY_KODE[kode].label
        answers.append({"unsur": unsur, "teks": teks, "nilai": nilai, "label": labels[nilai - 1] if nilai else ""})
    return render(
        request,
        "surveys/moderation/detail.html",
        {"row": row, "respons": respons, "answers": answers, "kembali": request.GET.get("kembali", "")},
    )


@login_required
@require_POST
def moderation_decide(request):
    """Accept or reject the chosen responses: the first post shows what will change and asks to
    confirm; the second (``konfirmasi``) calls services.respons_moderate."""
    instansi = access.require_admin_instansi(request)
    ids = _ids(request.POST.getlist("respons"))
    targets = list(_respons_of(instansi).filter(pk__in=ids).order_by("-diisi_pada", "-pk"))
    if len(targets) != len(ids):
        raise Http404  # a response of another instansi, or none at all
    form = ModerasiForm(request.POST, ids=ids)
    back = _back(request.POST.get("kembali", ""))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    accept = form.cleaned_data["aksi"] == AKSI_TERIMA
    if not form.cleaned_data["konfirmasi"]:
        return render(
            request,
            "surveys/moderation/confirm.html",
            {"rows": _baris(targets), "accept": accept, "aksi": form.cleaned_data["aksi"], "back": back, "form": form},
        )
    changed = services.respons_moderate(respons_ids=ids, accept=accept, by=request.user, instansi=instansi)
    if accept:
        message = ngettext(
            "%(n)d respons diterima dan ikut dihitung.", "%(n)d respons diterima dan ikut dihitung.", changed
        )
    else:
        message = ngettext(
            "%(n)d respons ditolak dan tidak dihitung.", "%(n)d respons ditolak dan tidak dihitung.", changed
        )
    messages.success(request, message % {"n": changed})
    if changed < len(ids):
        skipped = len(ids) - changed
        messages.info(
            request,
            ngettext(
                "%(n)d respons sudah dimoderasi sebelumnya dan tidak diubah.",
                "%(n)d respons sudah dimoderasi sebelumnya dan tidak diubah.",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect(back)
