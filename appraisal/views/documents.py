"""The printable SKP (rules §1.4) as a PDF download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from accounts import access
from appraisal import documents


@login_required
@require_safe
def skp_pdf(request, pk):
    """Download (or, with ``?inline=1``, open in the browser) the SKP in the official layout."""
    skp = access.get_skp_for(request, pk)
    response = HttpResponse(documents.skp_pdf(skp), content_type="application/pdf")
    filename = f"SKP-{skp.pegawai.nip}-{skp.periode.tahun}.pdf"
    inline = request.GET.get("inline") == "1"
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-store"  # personal data: never kept by shared caches
    return response
