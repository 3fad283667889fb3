"""The citizen's side of the SKM (rules §6): the questionnaire behind a QR code at /s/<kode>/ and
its thank-you page. No login. Light pages (Bootstrap CSS, no JavaScript) for any phone.

Every submission that passes validation is saved; the abuse rules in services.respons_submit
only flag it for moderation, and the citizen sees the same thank-you page either way."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import channels, selectors, services
from ..forms import SurveiForm
from ..models import PeriodeSurvei, SaluranSurvei


def in_indonesian(view):
    """The questionnaire's wording (each unit's, rules §6.3) exists only in Indonesian, so these
    pages are Indonesian whatever the phone's language: a half-English page would confuse the
    citizen and announce the wrong language to screen readers (<html lang>)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        translation.activate("id")
        request.LANGUAGE_CODE = "id"
        return view(request, *args, **kwargs)

    return wrapped


DEVICE_COOKIE = "skm_perangkat"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 60 * 60  # long-lived: the repeat rule needs to recognise the phone tomorrow


def _saluran(kode: str) -> SaluranSurvei | None:
    """The active channel ``kode`` of an active unit, with its unit and officer, or None."""
    found = channels.channel(kode)
    return found.saluran if found else None


def _not_found(request):
    return render(request, "surveys/public/not_found.html", status=404)


def client_address(request) -> str:
    """The citizen's address. Behind a proxy, settings.SURVEY_CLIENT_ADDRESS_HEADER names the
    header the proxy overwrites (e.g. "HTTP_X_REAL_IP"); without it every citizen would share
    the proxy's address and the rate limit would flag honest people."""
    header = getattr(settings, "SURVEY_CLIENT_ADDRESS_HEADER", None)
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() if value else "") or request.META.get("REMOTE_ADDR", "")


def _remember_device(request, response, device: str):
    if request.COOKIES.get(DEVICE_COOKIE) != device:
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _apply_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@in_indonesian
@never_cache
@require_http_methods(["GET", "POST"])
def survey_form(request, kode):
    found = channels.channel(kode)
    if found is None:
        return _not_found(request)
    saluran = found.saluran
    device = request.COOKIES.get(DEVICE_COOKIE) or services.new_device_id()
    form_kwargs = {"saluran": saluran, "pertanyaan": found.pertanyaan, "jenis_layanan": found.jenis_layanan}
    if request.method == "POST":
        form = SurveiForm(request.POST, **form_kwargs)
        if form.is_valid():
            meta = services.SubmissionMeta(
                alamat=client_address(request),
                perangkat=device,
                lama_isi_detik=form.fill_seconds(),
                honeypot=form.honeypot_filled(),
            )
            try:
                services.respons_submit(saluran=saluran, data=form.submission_data(), meta=meta)
            except ValidationError as exc:  # the token was used a moment ago by someone else
                _apply_service_errors(form, exc)
            else:
                return _remember_device(request, redirect("surveys_public:thanks", saluran.kode), device)
    else:
        form = SurveiForm(initial={"t": services.normalize_token(request.GET.get("t"))}, **form_kwargs)
    response = render(request, "surveys/public/form.html", {"saluran": saluran, "form": form})
    return _remember_device(request, response, device)


@in_indonesian
@require_GET
def survey_thanks(request, kode):
    saluran = _saluran(kode)
    if saluran is None:
        return _not_found(request)
    return render(request, "surveys/public/thanks.html", {"saluran": saluran})


@in_indonesian
@require_GET
def published_results(request, kode):
    """The unit's published SKM results (rules §6.1: the IKM must be made public), reachable from
    the same QR code family: /s/<kode>/hasil/. Only periods HR has published are shown."""
    saluran = _saluran(kode)
    if saluran is None:
        return _not_found(request)
    periods = list(
        PeriodeSurvei.objects.filter(unit_layanan=saluran.unit_layanan, dipublikasikan=True).order_by("-mulai")[:4]
    )
    results = [selectors.periode_results(periode=p) for p in periods]
    return render(request, "surveys/public/results.html", {"saluran": saluran, "results": results})
