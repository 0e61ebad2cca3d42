"""The four staff roles as Django groups, and the questions faces ask about a user's role.

`ensure_roles()` is idempotent; it runs after every migrate and from `manage.py setup_roles`.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

ADMINISTRATORS = "Administrators"
PARTNERSHIP_STAFF = "Partnership staff"
SITE_COORDINATORS = "Site coordinators"
LEADERSHIP = "Leadership"
ROLES = (ADMINISTRATORS, PARTNERSHIP_STAFF, SITE_COORDINATORS, LEADERSHIP)

_ALL = ("add", "change", "delete", "view")
_CRM_MODELS = (
    "district",
    "school",
    "communityschoolgrant",
    "partner",
    "contact",
    "servicecategory",
    "equityfocusgroup",
    "partnership",
    "touchpoint",
    "event",
    "funding",
    "referral",
    "staffprofile",
    "duplicatecandidate",
    "mergerecord",
    "auditentry",
    "schoolneed",
    "schoolasset",
    "partnershipagreement",
)

# role -> {model: actions}; custom permissions are listed by codename under their model.
GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    ADMINISTRATORS: {
        **{m.lower(): _ALL for m in _CRM_MODELS},
        "partner": (*_ALL, "merge_partner"),
        "partnership": (*_ALL, "view_report"),
        "referral": (*_ALL, "export_referral", "view_disclosures"),
        "referraldisclosure": ("view",),
    },
    PARTNERSHIP_STAFF: {
        "partner": ("add", "change", "view", "merge_partner"),
        "contact": ("add", "change", "view"),
        "partnership": ("add", "change", "view"),
        "touchpoint": ("add", "change", "view"),
        "funding": ("add", "change", "view"),
        "duplicatecandidate": ("change", "view"),
        "mergerecord": ("view",),
        "event": ("view",),
        "school": ("view",),
        "district": ("view",),
        "communityschoolgrant": ("view",),
        "servicecategory": ("view",),
        "equityfocusgroup": ("view",),
        "schoolneed": ("view",),
        "schoolasset": ("view",),
        "partnershipagreement": ("add", "change", "view"),
    },
    SITE_COORDINATORS: {
        "event": ("add", "change", "view"),
        "referral": ("add", "change", "view", "export_referral"),
        "partner": ("view",),
        "school": ("view",),
        "touchpoint": ("add", "view"),
        "schoolneed": ("add", "change", "view"),
        "schoolasset": ("add", "change", "view"),
    },
    LEADERSHIP: {
        "partnership": ("view", "view_report"),
        "partner": ("view",),
        "contact": ("view",),
        "touchpoint": ("view",),
        "event": ("view",),
        "funding": ("view",),
        "school": ("view",),
        "district": ("view",),
        "communityschoolgrant": ("view",),
        "schoolneed": ("view",),
        "schoolasset": ("view",),
        "partnershipagreement": ("view",),
    },
}

# Every role manages its own API tokens (Wagtail's APIToken, in Settings → API tokens).
SELF_SERVICE = (
    ("wagtailcore", "add_apitoken"),
    ("wagtailcore", "change_apitoken"),
    ("wagtailcore", "delete_apitoken"),
    ("wagtailcore", "view_apitoken"),
)


def ensure_roles() -> dict[str, int]:
    """Create or update the role groups so each holds exactly its permissions; returns counts."""
    counts = {}
    for role, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = set()
        for model, actions in grants.items():
            for action in actions:
                codename = f"{action}_{model}" if action in _ALL else action
                wanted.add(("crm", codename))
        wanted.add(("wagtailadmin", "access_admin"))
        wanted.update(SELF_SERVICE)
        perms = [
            p
            for p in Permission.objects.select_related("content_type").filter(
                content_type__app_label__in={"crm", "wagtailadmin", "wagtailcore"}
            )
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(perms)
        counts[role] = len(perms)
    return counts


def _role_names(user) -> frozenset[str]:
    """The user's group names, read once per user object (one per request), as Django keeps
    its permission cache: an admin page asks about roles a dozen times, for its menu alone."""
    names = getattr(user, "_role_names", None)
    if names is None:
        names = user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return names


def forget_roles(sender=None, instance=None, **kwargs) -> None:
    """Drop a user object's remembered group names when its groups change (m2m_changed)."""
    if instance is not None:
        instance.__dict__.pop("_role_names", None)


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if role == ADMINISTRATORS and user.is_superuser:
        return True
    return role in _role_names(user)


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_active", False)) and (
        user.is_superuser or has_role(user, ADMINISTRATORS)
    )
