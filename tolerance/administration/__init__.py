"""An institution administrator's own pages: people, roles, the committee roster, department contacts,
policy numbers and the staff import — each scoped to their institution (tolerance.selectors.institution_admin)
and each write a service with its audit event."""
