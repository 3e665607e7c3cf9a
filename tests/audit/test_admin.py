from tolerance.audit.models import AuditEvent


def test_admin_lists_events_but_offers_no_way_to_change_them(client_for, record):
    event = record(payload={"quorum": 60})
    admin = client_for("admin")
    assert admin.get("/admin/audit/auditevent/").status_code == 200
    assert admin.get("/admin/audit/auditevent/add/").status_code == 403
    assert admin.post(f"/admin/audit/auditevent/{event.pk}/change/", {"payload": "{}"}).status_code == 403
    assert admin.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).payload == {"quorum": 60}
