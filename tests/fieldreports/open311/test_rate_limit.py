"""An Open311 client relays many citizens from one server: its reports count per client, not per
address (FIELDREPORT_OPEN311_PER_CLIENT_HOUR); over the limit it gets 429 in the specification's format."""

import json

from motcua.fieldreports.models import FieldReport

from .test_write import URL, good_form


def test_client_limit_at_and_above(client, world, settings, throttle_clock):
    settings.FIELDREPORT_OPEN311_PER_CLIENT_HOUR = 2
    before = FieldReport.objects.count()
    for _ in range(2):
        assert client.post(URL.format(fmt="json"), good_form(world)).status_code == 201
    response = client.post(URL.format(fmt="json"), good_form(world))
    assert response.status_code == 429
    errors = json.loads(response.content)
    assert errors[0]["code"] == 429
    assert "quá nhiều phản ánh" in errors[0]["description"]
    assert FieldReport.objects.count() == before + 2
