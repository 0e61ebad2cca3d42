"""Login throttling (django-axes), the password policy, the session idle timeout, and logout of
other sessions when a password changes.
"""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.roles import PARTNERSHIP_STAFF
from crm.services.demo import demo_logins
from tests.factories import make_user

GOOD = "tidal-Marigold-4417"


def _login(client, username, password):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_many_wrong_passwords_lock_the_account_even_with_the_right_one(client):
    user = make_user("pat", role=PARTNERSHIP_STAFF)
    user.set_password(GOOD)
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "pat", "wrong-password-123")
    response = _login(client, "pat", GOOD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_unlock_command_lets_the_person_in_again(client):
    from django.core.management import call_command

    user = make_user("pat", role=PARTNERSHIP_STAFF)
    user.set_password(GOOD)
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "pat", "wrong-password-123")
    call_command("axes_reset_username", "pat")
    assert _login(client, "pat", GOOD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password", ["Partnerbase1", "short-pw-1", "12345678901234", "password12345", "pat-staff-x"]
)
def test_weak_staff_passwords_are_refused(password):
    user = make_user("pat-staff-x")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "role", "password"), demo_logins())
def test_demo_logins_satisfy_the_policy(username, role, password):
    validate_password(password, make_user(username))


def test_sessions_expire_after_the_idle_timeout_and_every_request_extends_them():
    assert settings.SESSION_IDLE_TIMEOUT == 8 * 3600
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_an_idle_session_is_logged_out(client, time_machine):
    import datetime as dt

    user = make_user("pat", role=PARTNERSHIP_STAFF)
    time_machine.move_to(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    time_machine.move_to(dt.datetime(2026, 1, 5, 16, 0, tzinfo=dt.UTC), tick=False)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    time_machine.move_to(dt.datetime(2026, 1, 6, 0, 1, tzinfo=dt.UTC), tick=False)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.django_db
def test_changing_the_password_logs_out_the_other_sessions(client, django_user_model):
    from django.test import Client

    user = make_user("pat", role=PARTNERSHIP_STAFF)
    user.set_password(GOOD)
    user.save()
    other = Client()
    other.force_login(user)
    client.force_login(user)
    new = "quiet-Harbor-Lantern-82"
    # The account page's other panels are posted back with what they show.
    page = client.get(reverse("wagtailadmin_account"))
    data = {}
    for panels in page.context["panels_by_tab"].values():
        for panel in panels:
            form = panel.get_form()
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value:  # empty files and unticked boxes are simply not sent
                    data[form.add_prefix(name)] = value
    data |= {
        "name_email-first_name": "Pat",
        "name_email-last_name": "Okafor",
        "name_email-email": "pat@example.org",
        "password-old_password": GOOD,
        "password-new_password1": new,
        "password-new_password2": new,
    }
    response = client.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert other.get(reverse("wagtailadmin_home")).status_code == 302


@pytest.mark.django_db
def test_an_administrator_sees_and_unlocks_a_locked_login_in_the_admin(client):
    from crm.models import AuditEntry
    from crm.roles import ADMINISTRATORS, SITE_COORDINATORS

    user = make_user("pat", role=PARTNERSHIP_STAFF)
    user.set_password(GOOD)
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "pat", "wrong-password-123")
    assert _login(client, "pat", GOOD).status_code == 429
    admin = client.__class__()
    admin.force_login(make_user("ana", role=ADMINISTRATORS))
    page = admin.get(reverse("crm_locked_logins")).content.decode()
    assert 'value="pat"' in page
    other = client.__class__()
    other.force_login(make_user("cora", role=SITE_COORDINATORS))
    assert other.post(reverse("crm_locked_logins"), {"username": "pat"}).status_code == 302
    assert _login(client.__class__(), "pat", GOOD).status_code == 429  # still locked
    assert admin.post(reverse("crm_locked_logins"), {"username": "pat"}).status_code == 302
    assert AuditEntry.objects.filter(action="login.unlock", object_id="pat").exists()
    assert "No login is locked." in admin.get(reverse("crm_locked_logins")).content.decode()
    assert _login(client, "pat", GOOD).status_code == 302
