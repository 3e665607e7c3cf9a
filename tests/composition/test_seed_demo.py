import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tolerance.audit.models import AuditCheckpoint, AuditEvent
from tolerance.demo import DEMO_USERS
from tolerance.models import Institution

# Sessions are not demo data; last_login changes whenever someone logs in.
_VOLATILE_FIELDS = {"last_login"}


def snapshot():
    """Every row of every model, so a second run that changes anything at all shows up."""
    rows = {}
    for model in apps.get_models():
        if model._meta.proxy or model._meta.label == "sessions.Session":
            continue
        fields = [field.attname for field in model._meta.concrete_fields if field.attname not in _VOLATILE_FIELDS]
        rows[model._meta.label] = sorted(model._default_manager.values_list(*fields), key=repr)
    return rows


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_rows():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)

    assert snapshot() == first
    assert set(Institution.objects.values_list("code", "name_zh")) >= {
        ("GUET", "桂林电子科技大学"),
        ("GXNU", "广西师范大学"),
    }
    users = get_user_model().objects.filter(username__in=[spec.username for spec in DEMO_USERS])
    assert users.count() == len(DEMO_USERS)


@pytest.mark.django_db
def test_seed_demo_ends_with_a_checkpoint_of_what_it_recorded():
    call_command("seed_demo", verbosity=0)

    checkpoint = AuditCheckpoint.objects.get()
    # Only the checkpoint's own event comes after the head it signed.
    assert AuditEvent.objects.filter(sequence__gt=checkpoint.sequence).count() == 1
    call_command("verify_audit", verbosity=0)


@pytest.mark.django_db
def test_every_demo_user_has_a_profile_and_role():
    call_command("seed_demo", verbosity=0)

    for spec in DEMO_USERS:
        user = get_user_model().objects.get(username=spec.username)
        assert user.profile.real_name == spec.real_name
        assert (user.profile.institution.code if user.profile.institution else None) == spec.institution
        assert list(user.groups.values_list("name", flat=True)) == ([spec.role] if spec.role else [])
    assert get_user_model().objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_password_can_be_overridden(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")
    call_command("seed_demo", verbosity=0)

    assert get_user_model().objects.get(username="officer_guet").check_password("another-demo-secret")
