from .access import roles_of


def roles(request):
    """Expose the request user's roles to templates as ``roles`` (computed lazily, once)."""
    return {"roles": roles_of(request)}
