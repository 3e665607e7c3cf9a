"""The demo `seed_demo` makes: seeded once for the whole class (it drives every case type's flows and seals
dozens of decisions, so each seeding costs minutes), each test looking at it inside its own rolled-back
savepoint. The checks of each case type's demo live beside that type's tests (`demo_checks.py`)."""

import shutil
import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from tests.workflows.exemption import demo_checks as exemption_demo
from tests.workflows.licensing import demo_checks as licensing_demo
from tests.workflows.rectification import demo_checks as rectification_demo
from tolerance import demo
from tolerance.audit.models import AuditCheckpoint, AuditEvent
from tolerance.demo import DEMO_USERS
from tolerance.models import Case, Institution

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


class SeededDemoTests(TestCase):
    @classmethod
    def setUpClass(cls):
        # The checkpoint files seed_demo writes must outlive setUpTestData for the tests that verify them.
        cls.checkpoint_dir = Path(tempfile.mkdtemp(prefix="demo-checkpoints-"))
        cls.addClassCleanup(shutil.rmtree, cls.checkpoint_dir, ignore_errors=True)
        # Filled by setUpTestData; made here so that TestCase does not deep-copy it for every test.
        cls.first_seeding = {}
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        with override_settings(AUDIT_CHECKPOINT_DIR=cls.checkpoint_dir):
            call_command("seed_demo", verbosity=0)
        cls.first_seeding.update(snapshot())

    def setUp(self):
        override = override_settings(AUDIT_CHECKPOINT_DIR=self.checkpoint_dir)
        override.enable()
        self.addCleanup(override.disable)

    def test_seed_demo_again_changes_no_row(self):
        call_command("seed_demo", verbosity=0)

        assert snapshot() == self.first_seeding

    def test_institutions_and_every_demo_user_with_profile_and_role(self):
        assert set(Institution.objects.values_list("code", "name_zh")) >= {
            ("GUET", "桂林电子科技大学"),
            ("GXNU", "广西师范大学"),
        }
        for spec in DEMO_USERS:
            user = get_user_model().objects.get(username=spec.username)
            assert user.check_password(demo.DEFAULT_DEMO_PASSWORD)
            assert user.profile.real_name == spec.real_name
            assert (user.profile.institution.code if user.profile.institution else None) == spec.institution
            assert list(user.groups.values_list("name", flat=True)) == ([spec.role] if spec.role else [])
        assert get_user_model().objects.get(username="admin").is_superuser

    def test_seed_demo_ends_with_a_checkpoint_of_what_it_recorded(self):
        checkpoint = AuditCheckpoint.objects.get()
        # Only the checkpoint's own event comes after the head it signed.
        assert AuditEvent.objects.filter(sequence__gt=checkpoint.sequence).count() == 1
        call_command("verify_audit", verbosity=0)

    def test_every_demo_case_was_made_by_its_flow(self):
        from viewflow.workflow.models import Task

        for case in Case.objects.all():
            assert case.process_id and Task.objects.filter(process_id=case.process_id).count() >= 2, case.number

    def test_exemption_demo(self):
        exemption_demo.check_demo()

    def test_rectification_demo(self):
        rectification_demo.check_demo()

    def test_licensing_demo(self):
        licensing_demo.check_demo()


def test_demo_password_can_be_overridden(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")
    demo.seed_users(demo.seed_institutions())

    assert get_user_model().objects.get(username="officer_guet").check_password("another-demo-secret")
