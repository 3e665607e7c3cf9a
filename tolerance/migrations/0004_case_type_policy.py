import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

# The policy numbers move from the institution to the case type: the only type so far is 容错免责认定 (MZ),
# so each institution's numbers become its MZ settings, unchanged.
POLICY_FIELDS = [
    "document_number_prefix",
    "appeal_working_days",
    "supplement_working_days",
    "committee_quorum_percent",
    "vote_threshold_percent",
]


def institution_numbers_to_exemption_policy(apps, schema_editor):
    Institution = apps.get_model("tolerance", "Institution")
    CaseTypePolicy = apps.get_model("tolerance", "CaseTypePolicy")
    for institution in Institution.objects.all():
        CaseTypePolicy.objects.create(
            institution=institution,
            case_type="MZ",
            publicity_days=institution.publicity_working_days,
            publicity_day_count="working",
            objection_days=institution.objection_working_days,
            **{name: getattr(institution, name) for name in POLICY_FIELDS},
        )


def exemption_policy_to_institution_numbers(apps, schema_editor):
    Institution = apps.get_model("tolerance", "Institution")
    CaseTypePolicy = apps.get_model("tolerance", "CaseTypePolicy")
    for policy in CaseTypePolicy.objects.filter(case_type="MZ"):
        Institution.objects.filter(pk=policy.institution_id).update(
            publicity_working_days=policy.publicity_days,
            objection_working_days=policy.objection_days,
            **{name: getattr(policy, name) for name in POLICY_FIELDS},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tolerance", "0003_case_next_step_derived_from_stage"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseTypePolicy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("case_type", models.CharField(max_length=2, verbose_name="Case type")),
                (
                    "document_number_prefix",
                    models.CharField(
                        help_text="Prefix of decision document numbers, e.g. “桂电容认”.",
                        max_length=20,
                        verbose_name="Document number prefix",
                    ),
                ),
                (
                    "publicity_days",
                    models.PositiveSmallIntegerField(
                        default=5,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="Publicity period (days)",
                    ),
                ),
                (
                    "publicity_day_count",
                    models.CharField(
                        choices=[("working", "working days"), ("calendar", "calendar days")],
                        default="working",
                        max_length=8,
                        verbose_name="Publicity period counts",
                    ),
                ),
                (
                    "objection_days",
                    models.PositiveSmallIntegerField(
                        default=5,
                        help_text="Days after publicity starts during which objections may be raised.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="Objection period (days, counted like the publicity period)",
                    ),
                ),
                (
                    "appeal_working_days",
                    models.PositiveSmallIntegerField(
                        default=15,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(90),
                        ],
                        verbose_name="Appeal window (working days)",
                    ),
                ),
                (
                    "supplement_working_days",
                    models.PositiveSmallIntegerField(
                        default=10,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(90),
                        ],
                        verbose_name="Supplement deadline (working days)",
                    ),
                ),
                (
                    "committee_quorum_percent",
                    models.PositiveSmallIntegerField(
                        default=67,
                        help_text="Minimum share of the non-recused members who must vote.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="Committee quorum (%)",
                    ),
                ),
                (
                    "vote_threshold_percent",
                    models.PositiveSmallIntegerField(
                        default=50,
                        help_text="An outcome passes only when its votes exceed this share of the votes cast.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(99),
                        ],
                        verbose_name="Vote threshold (%)",
                    ),
                ),
                (
                    "institution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="case_type_policies",
                        to="tolerance.institution",
                        verbose_name="Institution",
                    ),
                ),
            ],
            options={
                "verbose_name": "Case type policy",
                "verbose_name_plural": "Case type policies",
                "ordering": ["institution", "case_type"],
                "constraints": [
                    models.UniqueConstraint(fields=("institution", "case_type"), name="case_type_policy_unique"),
                    models.UniqueConstraint(
                        fields=("institution", "document_number_prefix"), name="case_type_policy_prefix_unique"
                    ),
                ],
            },
        ),
        migrations.RunPython(institution_numbers_to_exemption_policy, exemption_policy_to_institution_numbers),
        migrations.RemoveField(
            model_name="institution",
            name="appeal_working_days",
        ),
        migrations.RemoveField(
            model_name="institution",
            name="committee_quorum_percent",
        ),
        migrations.RemoveField(
            model_name="institution",
            name="document_number_prefix",
        ),
        migrations.RemoveField(
            model_name="institution",
            name="objection_working_days",
        ),
        migrations.RemoveField(
            model_name="institution",
            name="publicity_working_days",
        ),
        migrations.RemoveField(
            model_name="institution",
            name="supplement_working_days",
        ),
        migrations.RemoveField(
            model_name="institution",
            name="vote_threshold_percent",
        ),
        migrations.AlterField(
            model_name="case",
            name="stage",
            field=models.CharField(default="draft", max_length=40, verbose_name="Current stage"),
        ),
    ]
