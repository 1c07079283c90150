"""Meeting registrants: add, duplicates, batch, list with pagination, get, status updates, delete."""

import pytest


def person(n):
    return {"email": f"person{n}@example.com", "first_name": f"Person {n}", "last_name": "Test"}


@pytest.fixture
def meeting_id(client):
    return client.registration_meeting()["id"]


def test_add_registrant(client, meeting_id, sandbox):
    response = client.post(f"/meetings/{meeting_id}/registrants", json=person(1))
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == meeting_id
    assert body["join_url"].startswith(sandbox.url + "/w/")
    assert isinstance(body["participant_pin_code"], int)
    assert [r.email for r in sandbox.registrants(meeting_id)] == ["person1@example.com"]


def test_same_email_returns_the_existing_registrant(client, meeting_id, sandbox):
    first = client.post(f"/meetings/{meeting_id}/registrants", json=person(1)).json()
    again = client.post(
        f"/meetings/{meeting_id}/registrants", json={**person(1), "email": "PERSON1@example.com"}
    )
    assert again.status_code == 201
    assert (again.json()["registrant_id"], again.json()["join_url"]) == (
        first["registrant_id"],
        first["join_url"],
    )
    assert len(sandbox.registrants(meeting_id)) == 1


def test_manual_approval_leaves_registrant_pending_without_join_url(client):
    meeting_id = client.registration_meeting(approval_type=1)["id"]
    body = client.post(f"/meetings/{meeting_id}/registrants", json=person(1)).json()
    assert "join_url" not in body
    pending = client.get(f"/meetings/{meeting_id}/registrants", params={"status": "pending"}).json()
    assert [r["email"] for r in pending["registrants"]] == ["person1@example.com"]
    approved = client.post(
        f"/meetings/{meeting_id}/registrants", json={**person(2), "auto_approve": True}
    ).json()
    assert "join_url" in approved


def test_missing_fields_fail_validation(client, meeting_id):
    response = client.post(f"/meetings/{meeting_id}/registrants", json={"email": "not-an-email"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"email", "first_name"}


def test_registration_needs_it_enabled(client):
    meeting_id = client.create_meeting()["id"]
    response = client.post(f"/meetings/{meeting_id}/registrants", json=person(1))
    assert (response.status_code, response.json()["code"]) == (400, 404)


def test_registration_needs_a_licensed_host(client, sandbox):
    sandbox.add_user("basic@example.com", "basic")
    meeting_id = client.create_meeting(user="basic@example.com", settings={"approval_type": 0})["id"]
    response = client.post(f"/meetings/{meeting_id}/registrants", json=person(1))
    assert (response.status_code, response.json()["code"]) == (400, 3161)


def test_capacity_is_3043(client, meeting_id, sandbox):
    sandbox.state.max_meeting_registrants = 1
    client.post(f"/meetings/{meeting_id}/registrants", json=person(1))
    response = client.post(f"/meetings/{meeting_id}/registrants", json=person(2))
    assert (response.status_code, response.json()["code"]) == (400, 3043)


def test_capacity_counts_only_active_registrants(client, meeting_id, sandbox):
    sandbox.state.max_meeting_registrants = 1
    first = client.post(f"/meetings/{meeting_id}/registrants", json=person(1)).json()
    body = {"action": "cancel", "registrants": [{"id": first["registrant_id"]}]}
    assert client.put(f"/meetings/{meeting_id}/registrants/status", json=body).status_code == 204
    assert client.post(f"/meetings/{meeting_id}/registrants", json=person(2)).status_code == 201
    response = client.post(f"/meetings/{meeting_id}/registrants", json=person(3))
    assert (response.status_code, response.json()["code"]) == (400, 3043)


def test_batch_adds_up_to_30(client, meeting_id, sandbox):
    existing = client.post(f"/meetings/{meeting_id}/registrants", json=person(0)).json()
    people = [person(n) for n in range(30)]
    response = client.post(
        f"/meetings/{meeting_id}/batch_registrants", json={"auto_approve": True, "registrants": people}
    )
    assert response.status_code == 201
    rows = response.json()["registrants"]
    assert [row["email"] for row in rows] == [p["email"] for p in people]
    assert rows[0]["registrant_id"] == existing["registrant_id"]
    assert len(sandbox.registrants(meeting_id)) == 30


def test_batch_of_31_is_refused(client, meeting_id):
    people = [person(n) for n in range(31)]
    response = client.post(f"/meetings/{meeting_id}/batch_registrants", json={"registrants": people})
    assert (response.status_code, response.json()["code"]) == (400, 300)


def test_an_address_zoom_refuses_names_its_place_in_the_batch_and_registers_nobody(
    client, meeting_id, sandbox
):
    people = [person(n) for n in range(3)]
    sandbox.refused_emails.add(people[1]["email"].lower())
    response = client.post(f"/meetings/{meeting_id}/batch_registrants", json={"registrants": people})
    assert (response.status_code, response.json()["code"]) == (400, 300)
    assert response.json()["errors"] == [{"field": "registrants[1].email", "message": "Invalid field."}]
    alone = client.post(f"/meetings/{meeting_id}/registrants", json=people[1])
    assert alone.json()["errors"] == [{"field": "email", "message": "Invalid field."}]
    assert sandbox.registrants(meeting_id) == []


def test_batch_only_for_scheduled_meetings(client):
    meeting_id = client.create_meeting(
        type=8, recurrence={"type": 1, "end_times": 2}, settings={"approval_type": 0}
    )["id"]
    response = client.post(f"/meetings/{meeting_id}/batch_registrants", json={"registrants": [person(1)]})
    assert (response.status_code, response.json()["code"]) == (400, 303)


def test_batch_status_can_be_200(client, meeting_id, sandbox):
    sandbox.batch_success_status = 200
    response = client.post(f"/meetings/{meeting_id}/batch_registrants", json={"registrants": [person(1)]})
    assert response.status_code == 200


def test_list_pages_through_more_than_300(client, meeting_id, sandbox):
    for start in range(0, 330, 30):
        people = [person(n) for n in range(start, start + 30)]
        client.post(
            f"/meetings/{meeting_id}/batch_registrants", json={"auto_approve": True, "registrants": people}
        )
    first = client.get(f"/meetings/{meeting_id}/registrants", params={"page_size": 1000}).json()
    assert (first["page_size"], first["total_records"], len(first["registrants"])) == (300, 330, 300)
    assert first["next_page_token"]
    params = {"page_size": 300, "next_page_token": first["next_page_token"]}
    second = client.get(f"/meetings/{meeting_id}/registrants", params=params).json()
    assert len(second["registrants"]) == 30
    assert second["next_page_token"] == ""
    emails = {r["email"] for r in first["registrants"] + second["registrants"]}
    assert len(emails) == 330


def test_page_token_expires_after_15_minutes(client, meeting_id, sandbox):
    client.post(f"/meetings/{meeting_id}/batch_registrants", json={"registrants": [person(1), person(2)]})
    token = client.get(f"/meetings/{meeting_id}/registrants", params={"page_size": 1}).json()[
        "next_page_token"
    ]
    sandbox.clock.advance(15 * 60 + 1)
    response = client.get(
        f"/meetings/{meeting_id}/registrants", params={"page_size": 1, "next_page_token": token}
    )
    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": "The next page token is invalid or has expired."}


def test_get_one_registrant(client, meeting_id):
    added = client.post(f"/meetings/{meeting_id}/registrants", json=person(1)).json()
    fetched = client.get(f"/meetings/{meeting_id}/registrants/{added['registrant_id']}").json()
    assert (fetched["email"], fetched["status"]) == ("person1@example.com", "approved")
    unknown = client.get(f"/meetings/{meeting_id}/registrants/nope")
    assert (unknown.status_code, unknown.json()["code"]) == (404, 3001)


def test_status_updates(client, sandbox):
    meeting_id = client.registration_meeting(approval_type=1)["id"]
    ids = [
        client.post(f"/meetings/{meeting_id}/registrants", json=person(n)).json()["registrant_id"]
        for n in range(3)
    ]
    base = f"/meetings/{meeting_id}/registrants/status"
    assert (
        client.put(
            base,
            json={"action": "approve", "registrants": [{"id": ids[0]}, {"email": "person1@example.com"}]},
        ).status_code
        == 204
    )
    assert client.put(base, json={"action": "deny", "registrants": [{"id": ids[2]}]}).status_code == 204
    assert client.put(base, json={"action": "cancel", "registrants": [{"id": ids[1]}]}).status_code == 204
    statuses = {r.id: r.status for r in sandbox.registrants(meeting_id)}
    assert statuses == {ids[0]: "approved", ids[1]: "cancelled", ids[2]: "denied"}
    denied = client.get(f"/meetings/{meeting_id}/registrants", params={"status": "denied"}).json()
    assert {r["id"] for r in denied["registrants"]} == {ids[1], ids[2]}


def test_status_update_of_more_than_30_is_refused(client, meeting_id):
    body = {"action": "approve", "registrants": [{"id": str(n)} for n in range(31)]}
    assert client.put(f"/meetings/{meeting_id}/registrants/status", json=body).json()["code"] == 300


def test_delete_registrant(client, meeting_id, sandbox):
    added = client.post(f"/meetings/{meeting_id}/registrants", json=person(1)).json()
    assert client.delete(f"/meetings/{meeting_id}/registrants/{added['registrant_id']}").status_code == 204
    assert sandbox.registrants(meeting_id) == []


def test_register_for_chosen_occurrences(client):
    meeting = client.create_meeting(
        type=8, recurrence={"type": 1, "end_times": 3}, settings={"approval_type": 0, "registration_type": 3}
    )
    occurrence_id = meeting["occurrences"][1]["occurrence_id"]
    response = client.post(
        f"/meetings/{meeting['id']}/registrants", params={"occurrence_ids": occurrence_id}, json=person(1)
    )
    assert response.status_code == 201
    assert len(response.json()["occurrences"]) == 3
    bad = client.post(
        f"/meetings/{meeting['id']}/registrants", params={"occurrence_ids": "1"}, json=person(2)
    )
    assert bad.json()["code"] == 300


def test_an_email_deleted_and_added_again_is_a_new_registrant(client, meeting_id, sandbox):
    path = f"/meetings/{meeting_id}/registrants"
    first = client.post(path, json=person(1)).json()
    client.post(path, json=person(2))
    assert client.delete(f"{path}/{first['registrant_id']}").status_code == 204
    again = client.post(path, json={**person(1), "email": "Person1@Example.com"}).json()
    assert again["registrant_id"] != first["registrant_id"]
    assert sorted(r.email for r in sandbox.registrants(meeting_id)) == [
        "Person1@Example.com",
        "person2@example.com",
    ]
    assert client.post(path, json=person(1)).json()["registrant_id"] == again["registrant_id"]
