"""A page size that str.isdigit() accepts but int() does not ("²") is a 400, not a 500."""

import json


def test_superscript_page_size_is_400(client, world):
    response = client.get("/open311/v2/requests.json", {"page_size": "²"})

    assert response.status_code == 400
    assert json.loads(response.content)[0]["code"] == 400


def test_dates_at_the_edge_of_the_calendar_are_400(client, world):
    for query in ({"start_date": "9999-12-31T00:00:00Z"}, {"end_date": "0001-01-01T00:00:00"}):
        response = client.get("/open311/v2/requests.json", query)

        assert response.status_code == 400, query
        assert json.loads(response.content)[0]["code"] == 400
