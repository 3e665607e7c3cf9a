from django.core.exceptions import ValidationError


class ServiceFormMixin:
    """A form whose valid data goes to one service; the service's ValidationError becomes a form error,
    so a rule the form cannot see (four-eyes, quorum, a deadline) still gives the user a message and
    changes nothing."""

    def perform(self, form):
        """Call the service with the form's cleaned data. Every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define perform(form).")

    def performed(self, form):
        """The response once the service has succeeded. Every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define performed(form).")

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            service_error_to_form(form, error)
            return self.form_invalid(form)
        return self.performed(form)


def service_error_to_form(form, error: ValidationError) -> None:
    """Show a service's error beside the field it names (ValidationError({"field": …})), else above the form.

    A name in the form's `formsets` (a ListFormSet) puts the error on the row of the list item it is about.
    The rule lives once, in the service; the form only decides where its message appears.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    formsets = getattr(form, "formsets", {})
    for field, errors in error.error_dict.items():
        if field in formsets:
            formsets[field].add_service_errors(errors)
        else:
            form.add_error(field if field in form.fields else None, errors)
