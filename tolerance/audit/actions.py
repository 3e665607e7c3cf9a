"""The fixed vocabulary of audit actions. Values are stored and hashed: never rename one.

The labels are what the admin and exports show; the case timeline phrases each action as a sentence
(tolerance.audit.timeline).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CASE_FILED = "case.filed", _("Case filed")
    CASE_UPDATED = "case.updated", _("Case details updated")
    TASK_CREATED = "task.created", _("Task created")
    TASK_ASSIGNED = "task.assigned", _("Task assigned")
    TASK_RELEASED = "task.released", _("Task released")
    TASK_COMPLETED = "task.completed", _("Task completed")
    TASK_CANCELLED = "task.cancelled", _("Task cancelled")
    TIMER_FIRED = "timer.fired", _("Timer fired")
    FORM_SUBMITTED = "form.submitted", _("Form submitted")
    ATTACHMENT_ADDED = "attachment.added", _("Attachment added")
    VOTE_CAST = "committee.vote_cast", _("Vote cast")
    CONFLICT_DECLARED = "committee.conflict_declared", _("Conflict of interest declared")
    RESOLUTION_RECORDED = "committee.resolution_recorded", _("Committee resolution recorded")
    PUBLICITY_OPENED = "publicity.opened", _("Publicity opened")
    PUBLICITY_CLOSED = "publicity.closed", _("Publicity closed")
    OBJECTION_LODGED = "publicity.objection_lodged", _("Objection lodged")
    OBJECTION_RULED = "publicity.objection_ruled", _("Objection ruled on")
    APPEAL_LODGED = "appeal.lodged", _("Appeal lodged")
    DECISION_RENDERED = "decision.rendered", _("Decision rendered")
    DECISION_SIGNED = "decision.signed", _("Decision signed")
    DECISION_ISSUED = "decision.issued", _("Decision issued")
    DECISION_DOWNLOADED = "decision.downloaded", _("Decision downloaded")
    DECISION_VERIFIED = "decision.verified", _("Decision verified")
    DECISION_REVOKED = "decision.revoked", _("Decision revoked")
    NOTIFICATION_SENT = "notification.sent", _("Notification sent")
    PERMISSION_GRANTED = "permission.granted", _("Permission granted")
    PERMISSION_REVOKED = "permission.revoked", _("Permission revoked")
    LOGIN = "auth.login", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Failed login")
    LOGOUT = "auth.logout", _("Logged out")
    ACCESS_DENIED = "auth.access_denied", _("Access denied")
    EXPORT_MADE = "export.made", _("Export made")
    POLICY_CHANGED = "policy.changed", _("Policy data changed")
    CHECKPOINT_MADE = "audit.checkpoint", _("Audit checkpoint made")
    DEMO_TIME_MOVED = "demo.time_moved", _("Demo time moved")
