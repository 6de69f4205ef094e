"""Who may read research data and who may import it: the permissions the admin asks for.

Being staff only lets a user into the admin; the answers need ``surveys.view_response`` (and,
for the research pages, which list groups, ``surveys.view_group``), an import needs
``surveys.add_response``. A superuser has every permission."""

from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied

READ = ("surveys.view_response", "surveys.view_group")
IMPORT = "surveys.add_response"


def may_read(user) -> bool:
    return user.is_active and user.is_staff and user.has_perms(READ)


def may_import(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(IMPORT)


def research_view(view):
    """A research page, chart or CSV: anyone not staff is sent to the admin login (as before,
    they learn nothing), staff without the read permissions get 403."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not may_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_member_required(checked)
