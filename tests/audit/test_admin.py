from django.contrib.auth.models import Permission
from django.urls import reverse

from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent


def test_admin_lists_events_but_offers_no_way_to_change_them(client_for, record):
    event = record(payload={"quorum": 60})
    admin = client_for("admin")
    assert admin.get("/admin/audit/auditevent/").status_code == 200
    assert admin.get("/admin/audit/auditevent/add/").status_code == 403
    assert admin.post(f"/admin/audit/auditevent/{event.pk}/change/", {"payload": "{}"}).status_code == 403
    assert admin.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).payload == {"quorum": 60}


def staff_who_may_view_events(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(Permission.objects.get(content_type__app_label="audit", codename="view_auditevent"))


def shown(client):
    response = client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_staff_see_in_the_admin_only_the_trails_of_cases_they_may_see(users, file_case, record, client_for):
    guet_case = file_case()
    gxnu_case = file_case(officer="officer_gxnu", subjects=("researcher_gxnu",), title="催化剂专利转让失败")
    policy_change = record(action=AuditAction.POLICY_CHANGED, actor=users["admin"], payload={"operation": "changed"})
    guet_events = set(AuditEvent.objects.filter(case_id=guet_case.pk))
    gxnu_event = AuditEvent.objects.filter(case_id=gxnu_case.pk).first()
    staff_who_may_view_events(users["officer_guet"])
    client = client_for("officer_guet")

    assert guet_events and shown(client) == guet_events
    assert client.get(reverse("admin:audit_auditevent_change", args=[next(iter(guet_events)).pk])).status_code == 200
    for hidden in (gxnu_event, policy_change):
        response = client.get(reverse("admin:audit_auditevent_change", args=[hidden.pk]), follow=True)
        assert response.redirect_chain and response.redirect_chain[0][1] == 302
        assert hidden.event_hash not in response.content.decode()

    everything = shown(client_for("admin"))
    assert guet_events | {gxnu_event, policy_change} <= everything
    assert client_for("admin").get(reverse("admin:audit_auditevent_change", args=[policy_change.pk])).status_code == 200


def test_a_party_given_the_admin_sees_no_raw_trail_not_even_of_their_own_case(users, file_case, client_for):
    # Their case page hides votes and internal events; the admin list could not.
    file_case(subjects=("researcher_zhang",))
    staff_who_may_view_events(users["researcher_zhang"])

    assert shown(client_for("researcher_zhang")) == set()
