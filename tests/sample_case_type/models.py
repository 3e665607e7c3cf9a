"""The sample type's process, stages and outcomes. No table of its own: the shared steps keep everything
it records. The proxy still needs its one migration: Django cannot build a proxy of viewflow's (migrated)
Process in an app without migrations."""

from django.db import models
from viewflow.workflow.models import Process


class SampleProcess(Process):
    """Its own proxy so that its task permissions are its own, not the exemption's."""

    class Meta:
        proxy = True
        permissions = [
            ("officer_task_sampleprocess", "Can perform officer tasks of sample cases"),
            ("chair_task_sampleprocess", "Can perform committee chair tasks of sample cases"),
        ]


class SampleStage(models.TextChoices):
    """Values and wording unlike the exemption's, so a step reaching for an exemption stage shows."""

    HEARING = "hearing", "Waiting for the sample panel"
    NOTICE = "notice", "Sample notice posted"
    COMMENTS = "comments", "Sample comments being weighed"
    RULING = "ruling", "Sample ruling being drafted"
    RECONSIDERATION = "reconsideration", "Back before the sample panel after a comment"
    CHALLENGE_WINDOW = "challenge_window", "Sample ruling issued; open to challenge"
    CHALLENGE = "challenge", "Sample ruling challenged"
    FINISHED = "finished", "Sample case finished"


class SampleOutcome(models.TextChoices):
    UPHELD = "upheld", "Sample claim upheld"
    DISMISSED = "dismissed", "Sample claim dismissed"
