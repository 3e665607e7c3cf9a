"""Task nodes whose eligibility depends on the case, not only on a model-wide permission.

Viewflow's `.Permission(obj=…)` needs per-object guardian grants kept in step with every staff change;
a predicate over (user, case) evaluated at claim and at execute time states the rule once.
"""

from viewflow.workflow import flow

from workflows.access import case_of


class CaseTaskView(flow.View):
    _eligible = None

    def Eligible(self, predicate):
        """Only users for whom `predicate(user, case)` holds may claim or execute the task."""
        self._eligible = predicate
        return self

    def is_eligible(self, user, task) -> bool:
        return self._eligible is None or self._eligible(user, case_of(task.process))

    def can_assign(self, user, task):
        return super().can_assign(user, task) and self.is_eligible(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and self.is_eligible(user, task)
