import logging

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

CPR = "0101651236"


@pytest.mark.django_db
def test_no_cpr_is_readable_in_any_table_url_or_log_line(
    client, clinician_att, citizen_of_att, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(clinician_att)
    urls = []
    for response in [
        client.post(reverse("cases:citizen_list"), {"query": "010165-1236"}),
        client.get(reverse("cases:citizen_detail", args=[citizen_of_att.uuid])),
        client.post(reverse("cases:citizen_reveal_cpr", args=[citizen_of_att.uuid])),
        client.get(reverse("cases:citizen_list")),
    ]:
        assert response.status_code == 200
        urls.append(response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""))

    table_text = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')
            table_text.append(repr(cursor.fetchall()))
    everything = "\n".join([*table_text, *urls, caplog.text])
    for written in (CPR, "010165-1236", "010165 1236"):
        assert written not in everything
