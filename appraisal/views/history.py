"""The audit trail of an SKP, for everyone who may see the SKP (HR admins above all)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import access

from ..selectors_history import skp_history


@login_required
def skp_history_view(request, pk):
    skp = access.get_skp_for(request, pk)
    page = Paginator(skp_history(skp=skp), 50).get_page(request.GET.get("page"))
    return render(request, "appraisal/history/skp_history.html", {"skp": skp, "page": page})
