from tolerance import roles


def site_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    profile = getattr(user, "profile", None)
    user_role_names = roles.user_roles(user)
    from tolerance.notifications.selectors import unread_count

    return {
        "unread_notifications": unread_count(user),
        "current_profile": profile,
        "current_institution": profile.institution if profile is not None else None,
        "administers_institution": roles.INSTITUTION_ADMIN in user_role_names,
        "current_role_labels": [
            roles.ROLE_LABELS[name] for name in sorted(user_role_names) if name in roles.ROLE_LABELS
        ],
    }
