from django.core.management.base import CommandError

from surveys.models import Group


def get_group(name: str) -> Group:
    group = (
        Group.objects.filter(name=name).first() or Group.objects.filter(name__iexact=name).first()
    )
    if group is None:
        known = ", ".join(Group.objects.values_list("name", flat=True)[:20]) or "none yet"
        raise CommandError(f"no group named {name!r} (groups: {known})")
    return group
