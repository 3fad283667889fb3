"""SKM administration for the HR admin of an instansi (PermenPANRB 14/2017; rules §6): service
units, their service types, channels and QR posters, question wording, periods with their
sample, results, and the follow-up the unit head works on.

Every view starts with an access helper below. They build on accounts.access
(``require_admin_instansi``, ``roles_of``): another instansi's ids answer 404, a user inside the
instansi without the role answers 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from sikap.params import as_id

from .. import selectors, services_admin
from ..forms_admin import (
    JenisLayananForm,
    PeriodeForm,
    PertanyaanForm,
    SaluranForm,
    TindakLanjutForm,
    UnitLayananCreateForm,
)
from ..models import JenisLayanan, PeriodeSurvei, PertanyaanUnsur, SaluranSurvei, TindakLanjut, UnitLayanan
from ..rules import sample_size

SARAN_PAGE_SIZE = 20
PUBLIC_URL_NAME = "surveys_public:form"

# --- Access (candidates for accounts/access.py) -------------------------------------------------------


def get_unit_layanan_for_admin(request, pk: int) -> UnitLayanan:
    instansi = access.require_admin_instansi(request)
    return get_object_or_404(UnitLayanan.objects.select_related("unit"), pk=pk, instansi=instansi)


def get_periode_for_admin(request, pk: int) -> PeriodeSurvei:
    instansi = access.require_admin_instansi(request)
    return get_object_or_404(
        PeriodeSurvei.objects.select_related("unit_layanan__unit"), pk=pk, unit_layanan__instansi=instansi
    )


def get_saluran_for_admin(request, pk: int) -> SaluranSurvei:
    instansi = access.require_admin_instansi(request)
    return get_object_or_404(
        SaluranSurvei.objects.select_related("unit_layanan", "petugas"), pk=pk, unit_layanan__instansi=instansi
    )


def _tindak_lanjut_role(request, periode: PeriodeSurvei | None, item: TindakLanjut | None = None) -> bool:
    """True for the HR admin of the period's instansi, False for its unit head (or the person an
    item is assigned to); 403 for anyone else of that instansi, 404 outside it."""
    if periode is None:
        raise Http404
    roles = access.roles_of(request)
    instansi_id = periode.unit_layanan.instansi_id
    if roles.admin_instansi is not None and roles.admin_instansi.pk == instansi_id:
        return True
    pegawai = request.user.pegawai if roles.pegawai_id else None
    if pegawai is None or pegawai.instansi_id != instansi_id:
        if roles.is_superadmin and roles.admin_instansi is None:
            raise PermissionDenied(_("Pilih instansi terlebih dahulu."))
        raise Http404
    if item is not None:
        if item.penanggung_jawab_id == pegawai.pk:
            return False
        raise PermissionDenied
    is_head = (
        selectors.kepala_unit_of(unit_id=periode.unit_layanan.unit_id) == pegawai
        or periode.tindak_lanjut.filter(penanggung_jawab=pegawai).exists()
    )
    if not is_head:
        raise PermissionDenied
    return False


def get_periode_for_tindak_lanjut(request, pk: int) -> tuple[PeriodeSurvei, bool]:
    """The period and whether the user acts as HR admin (else as the unit head)."""
    periode = PeriodeSurvei.objects.select_related("unit_layanan__unit").filter(pk=pk).first()
    return periode, _tindak_lanjut_role(request, periode)


def get_tindak_lanjut_for(request, pk: int) -> tuple[TindakLanjut, bool]:
    item = TindakLanjut.objects.select_related("periode__unit_layanan__unit", "penanggung_jawab").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item, _tindak_lanjut_role(request, item.periode, item)


# --- Helpers ----------------------------------------------------------------------------------------------


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def public_path(kode: str) -> str:
    """The public survey page of a channel, ``/s/<kode>/`` (surveys/urls_public.py)."""
    try:
        return reverse(PUBLIC_URL_NAME, args=[kode])
    except NoReverseMatch:  # the public app's URL name changed: the path itself is the contract
        return f"/s/{kode}/"


def public_url(request, saluran: SaluranSurvei) -> str:
    """The absolute public URL of a channel, as printed under its QR code."""
    return request.build_absolute_uri(public_path(saluran.kode))


# --- Units --------------------------------------------------------------------------------------------------


@login_required
def unit_list(request):
    instansi = access.require_admin_instansi(request)
    return render(request, "surveys/admin/unit_list.html", {"rows": selectors.unit_layanan_list(instansi=instansi)})


@login_required
def unit_create(request):
    instansi = access.require_admin_instansi(request)
    form = UnitLayananCreateForm(request.POST or None, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        from ..services import unit_layanan_create

        try:
            unit_layanan = unit_layanan_create(
                unit=form.cleaned_data["unit"], nama_publik=form.cleaned_data["nama_publik"], by=request.user
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("%(nama)s kini unit layanan.") % {"nama": unit_layanan.nama_publik})
            return redirect("surveys:unit_detail", unit_layanan.pk)
    return render(request, "surveys/admin/form_page.html", {"form": form, "title": _("Tandai unit layanan")})


def _unit_detail_context(request, unit_layanan: UnitLayanan, **forms) -> dict:
    detail = selectors.unit_layanan_detail(unit_layanan=unit_layanan)
    return {
        "detail": detail,
        "saluran": [(s, public_url(request, s)) for s in detail.saluran],
        "jenis_form": forms.get("jenis_form") or JenisLayananForm(),
        "saluran_form": forms.get("saluran_form") or SaluranForm(instansi=unit_layanan.instansi_id),
    }


@login_required
def unit_detail(request, pk):
    unit_layanan = get_unit_layanan_for_admin(request, pk)
    return render(request, "surveys/admin/unit_detail.html", _unit_detail_context(request, unit_layanan))


# --- Service types (htmx partial, or a redirect without JavaScript) ----------------------------------------------


def _jenis_section(request, unit_layanan: UnitLayanan, form=None):
    if request.htmx:
        context = {
            "unit_layanan": unit_layanan,
            "jenis_layanan": selectors.jenis_layanan_of(unit_layanan=unit_layanan),
            "jenis_form": form or JenisLayananForm(),
        }
        return render(request, "surveys/admin/_jenis_layanan.html", context)
    return redirect(reverse("surveys:unit_detail", args=[unit_layanan.pk]) + "#jenis-layanan")


@login_required
@require_POST
def jenis_layanan_add(request, pk):
    unit_layanan = get_unit_layanan_for_admin(request, pk)
    form = JenisLayananForm(request.POST)
    if form.is_valid():
        try:
            services_admin.jenis_layanan_add(unit_layanan=unit_layanan, nama=form.cleaned_data["nama"], by=request.user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return _jenis_section(request, unit_layanan)
    if request.htmx:
        return _jenis_section(request, unit_layanan, form)
    return render(
        request, "surveys/admin/unit_detail.html", _unit_detail_context(request, unit_layanan, jenis_form=form)
    )


@login_required
@require_POST
def jenis_layanan_deactivate(request, pk):
    instansi = access.require_admin_instansi(request)
    jenis = get_object_or_404(
        JenisLayanan.objects.select_related("unit_layanan"), pk=pk, unit_layanan__instansi=instansi
    )
    services_admin.jenis_layanan_deactivate(jenis_layanan=jenis, by=request.user)
    return _jenis_section(request, jenis.unit_layanan)


# --- Channels (their QR posters: views/exports.py) -----------------------------------------------------------------------------------


@login_required
@require_POST
def saluran_add(request, pk):
    unit_layanan = get_unit_layanan_for_admin(request, pk)
    form = SaluranForm(request.POST, instansi=unit_layanan.instansi_id)
    if form.is_valid():
        try:
            saluran = services_admin.saluran_add(unit_layanan=unit_layanan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Saluran %(label)s ditambahkan.") % {"label": saluran.label})
            return redirect(reverse("surveys:unit_detail", args=[unit_layanan.pk]) + "#saluran")
    return render(
        request, "surveys/admin/unit_detail.html", _unit_detail_context(request, unit_layanan, saluran_form=form)
    )


@login_required
@require_POST
def saluran_toggle(request, pk):
    saluran = get_saluran_for_admin(request, pk)
    services_admin.saluran_set_active(saluran=saluran, aktif=not saluran.aktif, by=request.user)
    return redirect(reverse("surveys:unit_detail", args=[saluran.unit_layanan_id]) + "#saluran")


# --- Question wording ---------------------------------------------------------------------------------------------


@login_required
def pertanyaan_edit(request, pk):
    instansi = access.require_admin_instansi(request)
    pertanyaan = get_object_or_404(
        PertanyaanUnsur.objects.select_related("unit_layanan"), pk=pk, unit_layanan__instansi=instansi
    )
    form = PertanyaanForm(request.POST or None, pertanyaan=pertanyaan)
    if request.method == "POST" and form.is_valid():
        try:
            services_admin.pertanyaan_update(
                pertanyaan=pertanyaan, teks=form.cleaned_data["teks"], labels=form.labels, by=request.user
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            if request.htmx:
                return render(request, "surveys/admin/_pertanyaan_row.html", {"q": pertanyaan})
            messages.success(request, _("Pertanyaan %(unsur)s disimpan.") % {"unsur": pertanyaan.get_unsur_display()})
            return redirect(reverse("surveys:unit_detail", args=[pertanyaan.unit_layanan_id]) + "#pertanyaan")
    template = "surveys/admin/_pertanyaan_form.html" if request.htmx else "surveys/admin/pertanyaan_page.html"
    return render(request, template, {"q": pertanyaan, "form": form})


# --- Periods ----------------------------------------------------------------------------------------------------------


@login_required
def periode_create(request, pk):
    unit_layanan = get_unit_layanan_for_admin(request, pk)
    sampel_url = reverse("surveys:periode_create", args=[unit_layanan.pk])
    if request.htmx and request.method == "GET":
        return render(request, "surveys/admin/_sampel.html", {"sampel": _sampel_preview(request.GET)})
    form = PeriodeForm(request.POST or None, sampel_url=sampel_url)
    if request.method == "POST" and form.is_valid():
        try:
            periode = services_admin.periode_open(unit_layanan=unit_layanan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Periode %(label)s dibuka: sampel minimal %(n)s responden.")
                % {"label": periode.label, "n": periode.sampel_minimal},
            )
            return redirect("surveys:results", periode.pk)
    return render(
        request,
        "surveys/admin/periode_form.html",
        {"form": form, "unit_layanan": unit_layanan, "sampel": _sampel_preview(request.POST or request.GET)},
    )


def _sampel_preview(data) -> dict | None:
    """The Krejcie–Morgan sample for the N and method typed so far (rules §6.7)."""
    try:
        populasi = int(data.get("populasi", ""))
    except ValueError:
        return None
    if populasi < 1 or populasi > 100_000_000:
        return None
    metode = "FORMULA" if data.get("metode_sampel") == "FORMULA" else "TABLE"
    return {"populasi": populasi, "metode": metode, "n": sample_size(populasi, method=metode)}


# --- Results --------------------------------------------------------------------------------------------------------


def _petugas_param(request) -> int | None:
    raw = request.GET.get("petugas", "")
    if not raw:
        return None
    pk = as_id(raw)
    if pk is None:
        raise Http404
    return pk


@login_required
def results(request, pk):
    periode = get_periode_for_admin(request, pk)
    petugas_id = _petugas_param(request)
    hasil = selectors.periode_results(periode=periode, petugas_id=petugas_id)
    if petugas_id and hasil.petugas_terpilih is None:
        raise Http404  # nobody by that id is named on this period's responses
    saran = Paginator(selectors.saran_list(periode=periode, petugas_id=petugas_id), SARAN_PAGE_SIZE)
    unit_saluran = periode.unit_layanan.saluran.filter(jenis="UNIT", aktif=True).first()
    return render(
        request,
        "surveys/admin/results.html",
        {
            "periode": periode,
            "hasil": hasil,
            "saran": saran.get_page(request.GET.get("page")),
            "unit_saluran": unit_saluran,
        },
    )


@login_required
@require_POST
def periode_publish(request, pk):
    """Publish a period's results on the unit's public page, or take them off (rules §6.1)."""
    periode = get_periode_for_admin(request, pk)
    published = request.POST.get("published") == "1"
    services_admin.periode_set_published(periode=periode, published=published, by=request.user)
    messages.success(request, _("Hasil dipublikasikan.") if published else _("Hasil ditarik dari halaman publik."))
    return redirect("surveys:results", pk=periode.pk)


# --- Follow-up -------------------------------------------------------------------------------------------------------


@login_required
def tindak_lanjut(request, pk):
    periode, as_admin = get_periode_for_tindak_lanjut(request, pk)
    if request.method == "POST":
        if not as_admin:
            raise PermissionDenied
        try:
            items = services_admin.tindak_lanjut_generate(periode=periode, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s unsur terendah dijadikan tindak lanjut.") % {"n": len(items)})
        return redirect("surveys:tindak_lanjut", periode.pk)
    items = selectors.tindak_lanjut_of(periode=periode)
    pegawai_id = access.roles_of(request).pegawai_id
    rows = [
        (item, TindakLanjutForm(prefix=f"tl{item.pk}", initial=_tl_initial(item)))
        if as_admin or item.penanggung_jawab_id == pegawai_id
        else (item, None)
        for item in items
    ]
    return render(
        request,
        "surveys/admin/tindak_lanjut.html",
        {
            "periode": periode,
            "rows": rows,
            "as_admin": as_admin,
            "kepala": selectors.kepala_unit_of(unit_id=periode.unit_layanan.unit_id),
        },
    )


def _tl_initial(item: TindakLanjut) -> dict:
    return {"rencana": item.rencana, "status": item.status, "target_selesai": item.target_selesai}


@login_required
@require_POST
def tindak_lanjut_update(request, pk):
    item, _as_admin = get_tindak_lanjut_for(request, pk)
    form = TindakLanjutForm(request.POST, prefix=f"tl{item.pk}")
    if form.is_valid():
        try:
            services_admin.tindak_lanjut_update(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Tindak lanjut disimpan."))
                return redirect("surveys:tindak_lanjut", item.periode_id)
            form = TindakLanjutForm(prefix=f"tl{item.pk}", initial=_tl_initial(item))
    if request.htmx:  # errors too answer 200: htmx swaps only successful responses
        return render(
            request, "surveys/admin/_tindak_lanjut_item.html", {"item": item, "form": form, "saved": not form.errors}
        )
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("surveys:tindak_lanjut", item.periode_id)
