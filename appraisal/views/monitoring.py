"""The HR and organisation-wide SKP screens: the SKP years, the progress of SKP planning
and the cascade tree (pohon kinerja)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Instansi, Pegawai, UnitKerja
from sikap.params import as_id

from .. import rules, services
from .. import selectors_monitoring as selectors
from ..forms.monitoring import PeriodeOpenForm, ScopeForm, suggested_year
from ..models import PeriodeSKP

# --- SKP years (HR admin) ----------------------------------------------------------------------------


@login_required
def periode_list(request):
    instansi = access.require_admin_instansi(request)
    periodes = selectors.periode_list(instansi=instansi)
    suggested = suggested_year(taken={p.tahun for p in periodes}, today=timezone.localdate())
    return render(request, "appraisal/monitoring/periode_list.html", {"periodes": periodes, "suggested": suggested})


@login_required
def periode_open(request):
    instansi = access.require_admin_instansi(request)
    taken = {p.tahun for p in selectors.periode_choices(instansi=instansi)}
    form = PeriodeOpenForm(
        request.POST or None, initial=_initial_for(request), taken_years=taken, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            periode = services.periode_open(
                instansi=instansi,
                tahun=data["tahun"],
                ritme=data["ritme"],
                mulai=data["mulai"],
                selesai=data["selesai"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Periode SKP %(tahun)s dibuka.") % {"tahun": periode.tahun})
            return redirect("appraisal:periode_list")
    return render(request, "appraisal/monitoring/periode_form.html", {"form": form})


def _initial_for(request) -> dict:
    """``?tahun=2027`` (the empty-state button) prefills that year with its default dates."""
    raw = request.GET.get("tahun", "")
    if not (raw.isascii() and raw.isdigit()) or not 1900 < int(raw) < 3000:  # "²".isdigit() is True
        return {}
    mulai, selesai = rules.default_period(int(raw))
    return {"tahun": int(raw), "mulai": mulai, "selesai": selesai}


def _errors_onto(form, exc: ValidationError) -> None:
    """A ValidationError from a service lands on the form instead of a 500."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Choosing the year and unit ----------------------------------------------------------------------------


def _periode_param(request, periodes: list[PeriodeSKP]) -> PeriodeSKP:
    """The year asked for, else the latest. ``periodes`` is not empty."""
    wanted = request.GET.get("tahun", "")
    return next((p for p in periodes if str(p.tahun) == wanted), periodes[0])


def _unit_param(request, instansi: Instansi) -> UnitKerja | None:
    """The unit asked for; 404 for a unit outside the instansi (nothing leaks about what exists)."""
    return selectors.unit_param(request.GET.get("unit", ""), instansi=instansi)


# --- Progress (HR admin) -----------------------------------------------------------------------------------


@login_required
def progress(request):
    instansi = access.require_admin_instansi(request)
    periodes = selectors.periode_choices(instansi=instansi)
    if not periodes:
        suggested = suggested_year(taken=set(), today=timezone.localdate())
        return render(request, "appraisal/monitoring/progress.html", {"periodes": [], "suggested": suggested})
    units = selectors.unit_choices(instansi=instansi)  # the progress rolls every unit up
    periode, unit = _periode_param(request, periodes), _unit_param(request, instansi)
    small = len(units) <= selectors.UNIT_PICKER_MAX  # the picker lists them all, as already loaded
    picker = units if small else selectors.unit_picker(instansi=instansi, chosen=unit)
    today = timezone.localdate()
    q = request.GET.get("q", "").strip()[:100]
    late = selectors.late_pegawai(instansi=instansi, periode=periode, scope=unit, today=today, q=q)
    context = {
        "periodes": periodes,
        "filters": ScopeForm(request.GET or None, periodes=periodes, units=picker, initial={"tahun": periode.tahun}),
        "progress": selectors.progress(instansi=instansi, periode=periode, units=units, scope=unit, today=today),
        "ancestors": [u for u in units if unit is not None and unit.path.startswith(u.path) and u.pk != unit.pk],
        "late": selectors.late_page(queryset=late, number=request.GET.get("page")),
        "q": q,
    }
    return render(request, "appraisal/monitoring/progress.html", context)


# --- Cascade tree (HR admin, supervisors) --------------------------------------------------------------------


@dataclass(frozen=True)
class TreeReach:
    """Whose cascade tree the user may see: the whole instansi (HR) or their own subtree."""

    instansi: Instansi
    root_pegawai_id: int | None  # None: the whole instansi


def _tree_reach(request) -> TreeReach:
    # Belongs in accounts/access.py with the other access decisions; kept here until that
    # module's owner moves it (the rule: HR admin → instansi; supervisor → own subtree; else 403).
    roles = access.roles_of(request)
    if roles.admin_instansi is not None:
        return TreeReach(instansi=roles.admin_instansi, root_pegawai_id=None)
    if roles.is_supervisor:
        return TreeReach(instansi=Instansi.objects.get(pegawai=roles.pegawai_id), root_pegawai_id=roles.pegawai_id)
    raise PermissionDenied


@login_required
def cascade_tree(request):
    reach = _tree_reach(request)
    periodes = selectors.periode_choices(instansi=reach.instansi)
    is_hr = reach.root_pegawai_id is None
    if not periodes:
        suggested = suggested_year(taken=set(), today=timezone.localdate())
        return render(
            request, "appraisal/monitoring/cascade_tree.html", {"periodes": [], "suggested": suggested, "is_hr": is_hr}
        )
    periode, unit = _periode_param(request, periodes), _unit_param(request, reach.instansi)
    root = _root_param(request, reach)
    tree = selectors.cascade_tree(
        instansi=reach.instansi, periode=periode, unit=unit, root_pegawai_id=root or reach.root_pegawai_id
    )
    _mark_openable(request, tree, is_hr)
    filters = ScopeForm(
        request.GET or None,
        periodes=periodes,
        units=selectors.unit_picker(instansi=reach.instansi, chosen=unit) if is_hr else None,
        initial={"tahun": periode.tahun},
    )
    context = {"periodes": periodes, "filters": filters, "tree": tree, "unit": unit, "is_hr": is_hr, "root": root}
    return render(request, "appraisal/monitoring/cascade_tree.html", context)


@login_required
def cascade_tree_children(request, pegawai_pk: int):
    """The subordinates of one node (htmx), under the page's reach rule: outside it, 404."""
    reach = _tree_reach(request)
    _require_in_reach(reach, pegawai_pk)
    periodes = selectors.periode_choices(instansi=reach.instansi)
    if not periodes:
        raise Http404
    periode = _periode_param(request, periodes)
    unit = _unit_param(request, reach.instansi)
    offset = as_id(request.GET.get("offset")) or 0
    tree = selectors.cascade_children(
        instansi=reach.instansi, periode=periode, pegawai_id=pegawai_pk, unit=unit, offset=offset
    )
    _mark_openable(request, tree, reach.root_pegawai_id is None)
    context = {"tree": tree, "unit": unit, "pegawai_pk": pegawai_pk}
    return render(request, "appraisal/monitoring/_tree_children.html", context)


def _root_param(request, reach: TreeReach) -> int | None:
    """The node chosen as the top of the page (the no-JavaScript way down the tree), if any."""
    raw = request.GET.get("root", "")
    if not raw:
        return None
    pk = as_id(raw)
    if pk is None:
        raise Http404
    _require_in_reach(reach, pk)
    return pk


def _require_in_reach(reach: TreeReach, pegawai_pk: int) -> None:
    """404 unless ``pegawai_pk`` is in the instansi and, for a supervisor, in their subtree."""
    if not Pegawai.objects.filter(pk=pegawai_pk, instansi=reach.instansi).exists():
        raise Http404
    if reach.root_pegawai_id is not None and not selectors.in_chain_of(
        pegawai_id=pegawai_pk, atasan_id=reach.root_pegawai_id
    ):
        raise Http404


def _mark_openable(request, tree: selectors.CascadeTree, is_hr: bool) -> None:
    # Link only to the SKP pages the viewer may open (the rule lives in access.skp_visible_to),
    # asking only about the SKPs shown.
    visible = (
        None
        if is_hr
        else set(access.skp_visible_to(request).filter(pk__in=tree.skp_ids()).values_list("pk", flat=True))
    )
    tree.mark_openable(visible)
