"""A static file's URL is the manifest's hashed name each time it is asked for, in production;
in DEBUG it is the file's own name (ipsportal/core/static_storage.py)."""

import json

import pytest

from ipsportal.core.static_storage import PortalStaticFilesStorage


def test_a_static_files_url_names_the_hashed_file_every_time_and_a_missing_one_fails(
    tmp_path, settings
):
    settings.DEBUG = False
    manifest = {"paths": {"css/portal.css": "css/portal.e3e8f11e6518.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = PortalStaticFilesStorage(location=tmp_path, base_url="/static/")

    for _ in range(2):
        assert storage.url("css/portal.css") == "/static/css/portal.e3e8f11e6518.css"
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")

    settings.DEBUG = True
    assert storage.url("css/portal.css") == "/static/css/portal.css"
