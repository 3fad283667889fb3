"""Login, the home page of each role, and the HR admin's master-data screens."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, selectors, services
from .forms import (
    JabatanFilterForm,
    JabatanForm,
    LoginForm,
    PegawaiFilterForm,
    PegawaiForm,
    PenugasanForm,
    UnitKerjaForm,
)
from .models import Instansi, Jabatan, Pegawai, Penugasan, UnitKerja

PAGE_SIZE = 25


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _save_or_errors(form, service, **kwargs) -> bool:
    """Call a service; a ValidationError it raises lands on the form instead of a 500."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True


# --- Home pages ----------------------------------------------------------------------


@login_required
def home(request):
    """Each role lands on its own home page."""
    roles = access.roles_of(request)
    if roles.is_superadmin and roles.admin_instansi is None:
        return render(request, "accounts/home_superadmin.html", {"instansi_list": selectors.instansi_list()})
    if roles.admin_instansi is not None:
        instansi = roles.admin_instansi
        return render(
            request,
            "accounts/home_hr.html",
            {"instansi": instansi, "summary": selectors.instansi_summary(instansi=instansi)},
        )
    if roles.pegawai_id is None:
        return render(request, "accounts/home_no_role.html")
    from appraisal import selectors_home

    detail = selectors.pegawai_detail(
        pegawai=get_object_or_404(Pegawai.objects.select_related("jabatan", "unit", "instansi"), pk=roles.pegawai_id)
    )
    skp_home = selectors_home.skp_home(pegawai_id=roles.pegawai_id, instansi_id=detail["pegawai"].instansi_id)
    detail["skp_home"] = skp_home
    today = timezone.localdate()
    detail["own"] = selectors_home.pegawai_home(pegawai_id=roles.pegawai_id, periode=skp_home["periode"], today=today)
    if roles.is_supervisor:
        detail["board"] = selectors_home.supervisor_home(
            pegawai_id=roles.pegawai_id,
            unit=detail["pegawai"].unit,
            periode=skp_home["periode"],
            running=detail["own"].periode_evaluasi,
            skp_menunggu=skp_home.get("team", {}).get("menunggu", 0),
        )
        return render(request, "accounts/home_supervisor.html", detail)
    return render(request, "accounts/home_pegawai.html", detail)


@login_required
@require_POST
def instansi_activate(request, pk):
    """A superadmin chooses which instansi to administer (clears with pk=0)."""
    if not access.roles_of(request).is_superadmin:
        raise PermissionDenied
    if pk == 0:
        request.session.pop(access.ACTIVE_INSTANSI_SESSION_KEY, None)
    else:
        instansi = get_object_or_404(Instansi, pk=pk)
        request.session[access.ACTIVE_INSTANSI_SESSION_KEY] = instansi.pk
    return redirect("accounts:home")


@login_required
def team(request):
    roles = access.roles_of(request)
    if roles.pegawai_id is None:
        raise PermissionDenied
    return render(request, "accounts/team.html", {"team": selectors.team_of(pegawai_id=roles.pegawai_id)})


# --- Units ----------------------------------------------------------------------------


@login_required
def unit_list(request):
    instansi = access.require_admin_instansi(request)
    return render(request, "accounts/unit_list.html", {"units": selectors.unit_list(instansi=instansi)})


@login_required
def unit_edit(request, pk=None):
    instansi = access.require_admin_instansi(request)
    unit = access.get_unit_for_admin(request, pk) if pk else UnitKerja(instansi=instansi)
    form = UnitKerjaForm(request.POST or None, instance=unit, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(form, services.unit_save, unit=form.instance):
            messages.success(request, _("Unit kerja %(nama)s disimpan.") % {"nama": unit.nama})
            return redirect("accounts:unit_list")
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "title": _("Ubah unit kerja") if pk else _("Tambah unit kerja"), "back": "accounts:unit_list"},
    )


# --- Jabatan ----------------------------------------------------------------------------


@login_required
def jabatan_list(request):
    instansi = access.require_admin_instansi(request)
    filters = JabatanFilterForm(request.GET or None, instansi=instansi)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.jabatan_list(
        instansi=instansi, q=data.get("q", ""), unit=data.get("unit"), jenis=data.get("jenis", "")
    )
    return render(request, "accounts/jabatan_list.html", {"filters": filters, "page": _page(request, qs)})


@login_required
def jabatan_edit(request, pk=None):
    instansi = access.require_admin_instansi(request)
    jabatan = access.get_jabatan_for_admin(request, pk) if pk else Jabatan(instansi=instansi)
    form = JabatanForm(request.POST or None, instance=jabatan, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(form, services.jabatan_save, jabatan=form.instance):
            messages.success(request, _("Jabatan %(nama)s disimpan.") % {"nama": jabatan.nama})
            return redirect("accounts:jabatan_list")
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "title": _("Ubah jabatan") if pk else _("Tambah jabatan"), "back": "accounts:jabatan_list"},
    )


# --- Pegawai ------------------------------------------------------------------------------


@login_required
def pegawai_list(request):
    roles = access.roles_of(request)
    if roles.admin_instansi is None and not roles.is_supervisor and not roles.is_superadmin:
        raise PermissionDenied
    filters = PegawaiFilterForm(request.GET or None, instansi=roles.admin_instansi)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.pegawai_list(
        request=request,
        q=data.get("q", ""),
        unit=data.get("unit"),
        jabatan=data.get("jabatan"),
        status=data.get("status", ""),
        jenis_asn=data.get("jenis_asn", ""),
    )
    return render(request, "accounts/pegawai_list.html", {"filters": filters, "page": _page(request, qs)})


@login_required
def pegawai_detail(request, pk):
    pegawai = access.get_pegawai_for(request, pk)
    context = selectors.pegawai_detail(pegawai=pegawai)
    context["can_manage"] = access.can_manage_pegawai(request, pegawai)
    tanggal = request.GET.get("tanggal")
    if tanggal:
        try:
            day = datetime.date.fromisoformat(tanggal)
        except ValueError:
            messages.error(request, _("Tanggal tidak valid; gunakan format TTTT-BB-HH."))
        else:
            penilai, atasan = services.superiors_on(pegawai=pegawai, day=day)
            context["on_date"] = {"tanggal": day, "penilai": penilai, "atasan": atasan}
    return render(request, "accounts/pegawai_detail.html", context)


@login_required
def pegawai_edit(request, pk=None):
    instansi = access.require_admin_instansi(request)
    pegawai = access.get_pegawai_for_admin(request, pk) if pk else Pegawai(instansi=instansi)
    form = PegawaiForm(request.POST or None, instance=pegawai, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(form, services.pegawai_save, pegawai=form.instance):
            messages.success(request, _("Data pegawai %(nama)s disimpan.") % {"nama": pegawai.nama_lengkap})
            return redirect("accounts:pegawai_detail", pk=pegawai.pk)
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "title": _("Ubah data pegawai") if pk else _("Tambah pegawai"), "back": "accounts:pegawai_list"},
    )


@login_required
def penugasan_create(request, pegawai_pk):
    instansi = access.require_admin_instansi(request)
    pegawai = access.get_pegawai_for_admin(request, pegawai_pk)
    form = PenugasanForm(request.POST or None, instance=Penugasan(pegawai=pegawai), instansi=instansi)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(form, services.penugasan_create, penugasan=form.instance):
            messages.success(request, _("Penugasan dicatat; atasan dihitung ulang."))
            return redirect("accounts:pegawai_detail", pk=pegawai.pk)
    return render(
        request,
        "accounts/form_page.html",
        {
            "form": form,
            "title": _("Tambah penugasan: %(nama)s") % {"nama": pegawai.nama_lengkap},
            "back": "accounts:pegawai_list",
        },
    )
