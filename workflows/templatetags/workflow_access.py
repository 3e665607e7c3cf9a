from django import template

register = template.Library()


@register.filter
def may_manage(process, user) -> bool:
    """Whether `user` may cancel or otherwise manage `process` (the flow's own manage permission)."""
    return process.flow_class.instance.has_manage_permission(user, obj=process)
