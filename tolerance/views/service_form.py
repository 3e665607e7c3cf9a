from django.core.exceptions import ValidationError


class ServiceFormMixin:
    """A form whose valid data goes to one service; the service's ValidationError becomes a form error,
    so a rule the form cannot see (four-eyes, quorum, a deadline) still gives the user a message and
    changes nothing."""

    def perform(self, form):
        raise NotImplementedError

    def performed(self, form):
        """The response once the service has succeeded."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return self.performed(form)
