"""App config for the CRM domain."""

from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Partnerships CRM"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_migrate

        from crm import data_version
        from crm.roles import forget_roles

        post_migrate.connect(_ensure_roles_after_migrate, sender=self)
        data_version.connect_signals()
        m2m_changed.connect(
            forget_roles, sender=get_user_model().groups.through, dispatch_uid="crm-roles"
        )


def _ensure_roles_after_migrate(sender, **kwargs):
    # Django creates permissions in a post_migrate handler that may run after this one.
    from django.contrib.auth.management import create_permissions

    from crm.roles import ensure_roles
    from crm.services.ccspp import pillars_ensure

    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    ensure_roles()
    # Fixed rows that a flush (transactional tests) would otherwise take away.
    pillars_ensure()
