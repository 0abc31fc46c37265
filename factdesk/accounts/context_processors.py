from django.http import HttpRequest

from factdesk.accounts.roles import Role, user_roles


def roles(request: HttpRequest) -> dict:
    """Templates ask `desk_roles` what to show; the views still check every request."""
    held = user_roles(request.user)
    return {
        "desk_roles": sorted(role.value for role in held),
        "is_desk_member": bool(held),
        "is_editor": Role.EDITOR in held,
        "is_publisher": Role.PUBLISHER in held,
    }
