"""View decorators shared by the apps' pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from motcua.core.selectors.people import user_is_officer


def officer_required(view=None, *, forbidden: bool = False):
    """Signed-out visitors go to the sign-in page; signed-in non-officers get a 404 (an officer page
    is not something a citizen is told exists), or a 403 with `forbidden=True` for pages whose
    existence is no secret (the people register)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_is_officer(request.user):
                raise PermissionDenied if forbidden else Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
