"""Competency entry screens for HR (issue 6 item 3): the Standar Kompetensi Jabatan per post
and each employee's assessed levels, with the history of both."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import access

from . import selectors_kompetensi, services_kompetensi
from .forms import CariForm, KompetensiTeknisForm, LevelsForm, PenilaianForm
from .views_pembinaan import _errors_to_form


def _q(request) -> str:
    form = CariForm(request.GET)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


@login_required
def standar_list(request):
    """Posts with their number of required competencies; POST adds a technical competency."""
    instansi = access.require_admin_instansi(request)
    teknis = KompetensiTeknisForm(request.POST or None, prefix="teknis")
    if request.method == "POST" and teknis.is_valid():
        try:
            k = services_kompetensi.kompetensi_teknis_create(instansi=instansi, by=request.user, **teknis.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(teknis, exc)
        else:
            messages.success(request, _("Kompetensi teknis %(nama)s ditambahkan.") % {"nama": k.nama})
            return redirect("talenta:standar_list")
    q = _q(request)
    context = {
        "page": selectors_kompetensi.jabatan_page(instansi=instansi, q=q, page=request.GET.get("page")),
        "q": q,
        "teknis": teknis,
        "kompetensi": selectors_kompetensi.kompetensi_of(instansi=instansi),
    }
    return render(request, "talenta/kompetensi/standar_list.html", context, status=400 if teknis.errors else 200)


@login_required
def standar_edit(request, pk):
    jabatan = access.get_jabatan_for_admin(request, pk)
    kompetensi = selectors_kompetensi.kompetensi_of(instansi=jabatan.instansi_id)
    form = LevelsForm(
        request.POST or None,
        kompetensi=kompetensi,
        initial_levels=selectors_kompetensi.standar_levels(jabatan=jabatan),
    )
    if request.method == "POST" and form.is_valid():
        try:
            n = services_kompetensi.standar_kompetensi_set(jabatan=jabatan, levels=form.levels(), by=request.user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Standar kompetensi %(nama)s disimpan (%(n)s perubahan).") % {"nama": jabatan.nama, "n": n}
            )
            return redirect("talenta:standar_list")
    return render(
        request,
        "talenta/kompetensi/levels_form.html",
        {"form": form, "jabatan": jabatan, "title": _("Standar kompetensi jabatan"), "back": "talenta:standar_list"},
        status=400 if form.errors else 200,
    )


@login_required
def penilaian_list(request):
    instansi = access.require_admin_instansi(request)
    q = _q(request)
    page = selectors_kompetensi.pegawai_page(instansi=instansi, q=q, page=request.GET.get("page"))
    return render(request, "talenta/kompetensi/penilaian_list.html", {"page": page, "q": q})


@login_required
def penilaian_edit(request, pk):
    """The employee's competency profile and history, and the form to record an assessment."""
    pegawai = access.get_pegawai_for_admin(request, pk)
    kompetensi = selectors_kompetensi.kompetensi_of(instansi=pegawai.instansi_id)
    form = PenilaianForm(request.POST or None, kompetensi=kompetensi)
    if request.method == "POST" and form.is_valid():
        try:
            n = services_kompetensi.penilaian_kompetensi_record(
                pegawai=pegawai,
                sumber=form.cleaned_data["sumber"],
                tanggal=form.cleaned_data["tanggal"],
                levels=form.levels(),
                by=request.user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("%(n)s level kompetensi %(nama)s dicatat.") % {"n": n, "nama": pegawai.nama})
            return redirect("talenta:penilaian_edit", pk=pegawai.pk)
    context = {
        "pegawai": pegawai,
        "form": form,
        "profil": selectors_kompetensi.profil_kompetensi(pegawai=pegawai),
    }
    return render(request, "talenta/kompetensi/penilaian_edit.html", context, status=400 if form.errors else 200)
