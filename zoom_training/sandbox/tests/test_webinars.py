"""Webinars: CRUD, the webinar plan, registrants (3027, batch type 5, capacity 3043/3035), panelists."""

import pytest


def person(n):
    return {"email": f"guest{n}@example.com", "first_name": f"Guest {n}"}


@pytest.fixture
def webinar_id(client):
    return client.create_webinar(settings={"approval_type": 0})["id"]


def test_create_get_update_delete(client, sandbox):
    webinar = client.create_webinar(topic="Launch", duration=75)
    assert (webinar["type"], webinar["duration"]) == (5, 75)
    assert isinstance(webinar["id"], int)
    assert client.patch(f"/webinars/{webinar['id']}", json={"agenda": "News"}).status_code == 204
    assert client.get(f"/webinars/{webinar['id']}").json()["agenda"] == "News"
    assert client.put(f"/webinars/{webinar['id']}/status", json={"action": "end"}).status_code == 204
    assert client.delete(f"/webinars/{webinar['id']}").status_code == 204
    response = client.get(f"/webinars/{webinar['id']}")
    assert response.json() == {"code": 3001, "message": f"Webinar does not exist: {webinar['id']}."}


def test_a_meeting_id_is_not_a_webinar(client):
    meeting_id = client.create_meeting()["id"]
    assert client.get(f"/webinars/{meeting_id}").status_code == 404


def test_host_without_the_webinar_plan_gets_code_200(client, sandbox):
    sandbox.add_user("basic@example.com", "licensed", webinar=False)
    response = client.post("/users/basic@example.com/webinars", json={"topic": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == 200
    assert response.json()["message"].startswith("Webinar plan is missing.")


def test_host_cannot_register(client, webinar_id):
    response = client.post(
        f"/webinars/{webinar_id}/registrants", json={"email": "host@example.com", "first_name": "H"}
    )
    assert response.json() == {"code": 3027, "message": "Host cannot register."}


def test_registrants_list_get_status_delete(client, webinar_id, sandbox):
    added = client.post(f"/webinars/{webinar_id}/registrants", json=person(1))
    assert added.status_code == 201 and "participant_pin_code" not in added.json()
    registrant_id = added.json()["registrant_id"]
    listed = client.get(f"/webinars/{webinar_id}/registrants").json()
    assert [r["id"] for r in listed["registrants"]] == [registrant_id]
    assert (
        client.get(f"/webinars/{webinar_id}/registrants/{registrant_id}").json()["email"]
        == "guest1@example.com"
    )
    assert client.get(f"/webinars/{webinar_id}/registrants/unknown").json()["code"] == 3079
    body = {"action": "cancel", "registrants": [{"id": registrant_id}]}
    assert client.put(f"/webinars/{webinar_id}/registrants/status", json=body).status_code == 204
    assert sandbox.registrants(webinar_id)[0].status == "cancelled"
    assert client.delete(f"/webinars/{webinar_id}/registrants/{registrant_id}").status_code == 204


def test_batch_only_for_type_5(client, webinar_id):
    response = client.post(
        f"/webinars/{webinar_id}/batch_registrants", json={"registrants": [person(1), person(2)]}
    )
    assert response.status_code == 201
    assert len(response.json()["registrants"]) == 2
    series = client.create_webinar(
        type=9, recurrence={"type": 1, "end_times": 2}, settings={"approval_type": 0}
    )
    response = client.post(f"/webinars/{series['id']}/batch_registrants", json={"registrants": [person(1)]})
    assert (response.status_code, response.json()["code"]) == (400, 300)


def test_capacity_on_add_and_on_approval(client, sandbox):
    sandbox.user("host@example.com").webinar_capacity = 2
    webinar_id = client.create_webinar(settings={"approval_type": 1})["id"]
    ids = [
        client.post(f"/webinars/{webinar_id}/registrants", json=person(n)).json()["registrant_id"]
        for n in range(2)
    ]
    assert client.post(f"/webinars/{webinar_id}/registrants", json=person(3)).json()["code"] == 3043
    client.put(
        f"/webinars/{webinar_id}/registrants/status", json={"action": "deny", "registrants": [{"id": ids[1]}]}
    )
    client.post(f"/webinars/{webinar_id}/registrants", json=person(4))
    body = {"action": "approve"}  # every pending and denied registrant: 3 for 2 seats
    response = client.put(f"/webinars/{webinar_id}/registrants/status", json=body)
    assert response.json() == {"code": 3035, "message": "Webinar has reached maximum attendee capacity."}


def test_panelists(client, webinar_id, sandbox):
    body = {
        "panelists": [
            {"email": "p1@example.com", "name": "P One"},
            {"email": "p2@example.com", "name": "P Two"},
        ]
    }
    response = client.post(f"/webinars/{webinar_id}/panelists", json=body)
    assert response.status_code == 201
    assert response.json()["id"] == str(webinar_id)
    listed = client.get(f"/webinars/{webinar_id}/panelists").json()
    assert listed["total_records"] == 2
    assert all(p["join_url"] for p in listed["panelists"])
    assert client.delete(f"/webinars/{webinar_id}/panelists/p1@example.com").status_code == 204
    assert (
        client.delete(f"/webinars/{webinar_id}/panelists/{listed['panelists'][1]['id']}").status_code == 204
    )
    assert sandbox.panelists(webinar_id) == []
    client.post(f"/webinars/{webinar_id}/panelists", json=body)
    assert client.delete(f"/webinars/{webinar_id}/panelists").status_code == 204
    assert client.get(f"/webinars/{webinar_id}/panelists").json()["total_records"] == 0


def test_panelists_need_name_and_email(client, webinar_id):
    response = client.post(
        f"/webinars/{webinar_id}/panelists", json={"panelists": [{"email": "p@example.com"}]}
    )
    assert response.json()["errors"] == [{"field": "panelists[0].name", "message": "This field is required."}]
