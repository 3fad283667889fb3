"""The push endpoint for other government systems (issue 10 item 2): realisations for one unit's
employees, authenticated by that unit's token. JSON in, JSON out; messages in Indonesian."""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .. import services_objektif

MAX_BODY = 2 * 1024 * 1024


def _refuse(status: int, pesan: str, errors: list | None = None) -> JsonResponse:
    response = JsonResponse({"pesan": pesan, "kesalahan": errors or []}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="sikap"'
    return response


@csrf_exempt  # no cookies: the token in the Authorization header is the credential
@require_POST
def realisasi_push(request):
    """POST /api/v1/realisasi/ with ``Authorization: Bearer <token>``. 401 without a valid token,
    403 for an employee or indicator outside the token's unit, 400 for a malformed batch or value;
    a refused batch writes nothing."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    token = services_objektif.token_authenticate(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        return _refuse(401, _("Token tidak ada atau tidak berlaku."))
    if len(request.body) > MAX_BODY:
        return _refuse(400, _("Kiriman lebih dari 2 MB; bagi menjadi beberapa kiriman."))
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _refuse(400, _("Isi kiriman bukan JSON yang valid."))
    try:
        result = services_objektif.realisasi_push(token=token, payload=payload)
    except services_objektif.PushRefused as exc:
        pesan = (
            _("Di luar unit token ini; tidak ada yang ditulis.")
            if exc.status == 403
            else _("Kiriman ditolak; tidak ada yang ditulis.")
        )
        return _refuse(exc.status, pesan, exc.errors)
    return JsonResponse(result)
