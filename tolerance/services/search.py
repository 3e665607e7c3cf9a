"""Keeping each case's search text (Case.search_text) current: its number, title, people, institution
and whatever its type adds (the company, the research result), in lower case.

Refreshed whenever a person finishes a task of its flow (filing included), which is when any of these
can change; the hook is on the Task model like the audit trail's (tolerance.audit.task_lifecycle).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_save
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tolerance.case_types import case_type_spec
from tolerance.models import Case


def case_search_text(case: Case) -> str:
    words = [case.number, case.title, case.institution.name_zh, case.institution.code]
    for person in [case.filed_by, *[link.user for link in case.subject_links.select_related("user__profile")]]:
        profile = getattr(person, "profile", None)
        words += [person.get_username(), profile.real_name if profile else "", profile.organisation if profile else ""]
    spec = case_type_spec(case.case_type)
    if spec is not None and spec.search_terms is not None:
        try:
            words += spec.search_terms(case)
        except ObjectDoesNotExist:  # details not written yet (mid-filing): the rest is searchable meanwhile
            pass
    return " ".join(word for word in words if word).lower()


def case_search_text_refresh(case: Case) -> None:
    text = case_search_text(case)
    if text != case.search_text:
        Case.objects.filter(pk=case.pk).update(search_text=text)
        case.search_text = text


def _task_saved(sender, instance, created, **kwargs):
    if instance.status != STATUS.DONE or instance.flow_task_type not in ("HUMAN", "HUMAN_START"):
        return
    case = (
        Case.objects.filter(process_id=instance.process_id).select_related("institution", "filed_by__profile").first()
    )
    if case is not None:
        case_search_text_refresh(case)


def connect():
    from django.apps import apps

    for model in [model for model in apps.get_models() if issubclass(model, Task)]:
        post_save.connect(_task_saved, sender=model, dispatch_uid=f"search.task_saved.{model._meta.label}")
