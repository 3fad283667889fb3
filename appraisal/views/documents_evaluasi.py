"""The two printed evaluation documents (rules §1.9) as PDF downloads."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from accounts import access
from appraisal import documents_evaluasi


def _pdf_response(request, content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    inline = request.GET.get("inline") == "1"
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-store"  # personal data: never kept by shared caches
    return response


def _filename(prefix: str, evaluasi) -> str:
    """``Evaluasi-199001012015011001-TRIWULAN-I-2026.pdf``."""
    periode = evaluasi.periode_evaluasi
    return f"{prefix}-{evaluasi.skp.pegawai.nip}-{periode.label.replace(' ', '-')}-{evaluasi.skp.periode.tahun}.pdf"


@login_required
@require_safe
def evaluasi_pdf(request, pk):
    """EVALUASI KINERJA PEGAWAI (rules §1.9.1); ``?inline=1`` opens it in the browser."""
    evaluasi = access.get_evaluasi_for(request, pk)
    return _pdf_response(request, documents_evaluasi.evaluasi_pdf(evaluasi), _filename("Evaluasi", evaluasi))


@login_required
@require_safe
def dokumen_evaluasi_pdf(request, pk):
    """DOKUMEN EVALUASI KINERJA PEGAWAI (rules §1.9.2); ``?inline=1`` opens it in the browser."""
    evaluasi = access.get_evaluasi_for(request, pk)
    content = documents_evaluasi.dokumen_evaluasi_pdf(evaluasi)
    return _pdf_response(request, content, _filename("Dokumen-Evaluasi", evaluasi))
