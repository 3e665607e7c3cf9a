import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tolerance", "0004_case_type_policy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingUpload",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("purpose", models.CharField(max_length=50, verbose_name="Form")),
                ("field", models.CharField(max_length=50, verbose_name="Form field")),
                ("sha256", models.CharField(db_index=True, max_length=64, verbose_name="SHA-256")),
                ("size", models.PositiveBigIntegerField(verbose_name="Size (bytes)")),
                ("content_type", models.CharField(max_length=100, verbose_name="Content type")),
                ("original_name", models.CharField(max_length=200, verbose_name="Original file name")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="Uploaded at")),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Owner",
                    ),
                ),
            ],
            options={
                "verbose_name": "Pending upload",
                "verbose_name_plural": "Pending uploads",
                "ordering": ["id"],
                "indexes": [models.Index(fields=["owner", "purpose"], name="tolerance_p_owner_i_225a13_idx")],
            },
        ),
    ]
