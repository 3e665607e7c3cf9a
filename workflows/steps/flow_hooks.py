"""What a flow's nodes call to run the shared steps, so every case type's flow declares them the same way:
`flow.Function(this.start_publicity)`, `flow.Timer(this.publicity_ends)`, `flow.If(this.has_objections)`…

The flow's appeal window must be a `flow.Handle()` node named `await_appeal` (selectors.APPEAL_WAITING_NODE):
the appeal page releases that task. A flow whose cases judge several people on their own routes the window's
timeout through `is_appeal_review` to `begin_appeal_review`, since appeals may be lodged without releasing it.
"""

from workflows.steps.appeal import appeal_review_begin, appeal_window_end_moment, is_appeal_review
from workflows.steps.issuing import case_archive
from workflows.steps.models import ObjectionRuling
from workflows.steps.publicity import publicity_close, publicity_current, publicity_end_moment, publicity_open


class SharedStepHooks:
    def is_appeal_review(self, activation):
        return is_appeal_review(activation.process.case)

    def start_publicity(self, activation):
        publicity_open(case=activation.process.case)

    def publicity_ends(self, activation):
        return publicity_end_moment(publicity_current(activation.process.case))

    def end_publicity(self, activation):
        publicity_close(case=activation.process.case)

    def has_objections(self, activation):
        return publicity_current(activation.process.case).objections.exists()

    def has_substantive_objection(self, activation):
        return publicity_current(activation.process.case).objections.filter(ruling=ObjectionRuling.SUBSTANTIVE).exists()

    def appeal_window_ends(self, activation):
        return appeal_window_end_moment(activation.process.case)

    def begin_appeal_review(self, activation):
        appeal_review_begin(case=activation.process.case)

    def archive(self, activation):
        case_archive(case=activation.process.case)
