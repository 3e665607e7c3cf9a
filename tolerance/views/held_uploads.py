from tolerance.services.pending_uploads import pending_uploads_drop, pending_uploads_hold


class HeldUploadsMixin:
    """For a form with HeldUploadsFormMixin: the files uploaded with it are held for the user before
    anything else, so whatever rejects the submission (the form or the service), the page shows them
    again and the next submission uses them; the service receives the held files."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "uploader": self.request.user}

    def form_valid(self, form):
        self.uploads_hold(form)
        if form.errors:  # a file failed the checks
            return self.form_invalid(form)
        return super().form_valid(form)

    def form_invalid(self, form):
        self.uploads_hold(form)
        return super().form_invalid(form)

    def uploads_hold(self, form):
        # Once per request: a service error after holding comes back through form_invalid.
        if form.uploads_were_held:
            return
        user = self.request.user
        pending_uploads_drop(owner=user, pending=form.held_dropped)
        new, errors = pending_uploads_hold(owner=user, purpose=form.held_purpose, uploads=list(form.uploads_new()))
        for field, field_errors in errors.items():
            for error in field_errors:
                form.add_error(field, error)
        form.uploads_held_set([*form.held_kept, *new])
