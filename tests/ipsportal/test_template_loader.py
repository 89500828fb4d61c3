"""The portal's template loader renders a plain {% translate %} once per language and escaping,
and every template exactly as Django's own cached loader does."""

import pytest
from django.template import Context, Engine
from django.template import engines as template_engines
from django.utils import translation

from ipsportal.core.template_loader import KeptTranslation, Loader

TEMPLATE = """{% load i18n %}<h1>{% translate "Citizen" %}</h1>
{% translate "Tom & Jerry's 50 % <b>" %}
{% autoescape off %}{% translate "Tom & Jerry's 50 % <b>" %}{% endautoescape %}
{% translate "Citizen" as kept %}[{{ kept }}]
{% translate "Citizen" noop %} {% translate "Citizen"|upper %} {% translate word %}
{% translate "May" context "month name" %}
{% if shown %}{% translate "Phase" %}{% else %}{% translate "Citizen" %}{% endif %}
{% for n in numbers %}{% translate "Citizen" %}{% empty %}{% translate "Phase" %}{% endfor %}
{% with x=1 %}{% block b %}{% translate "Phase" %}{% endblock %}{% endwith %}
{% blocktranslate %}Citizen{% endblocktranslate %}"""


def _engines(tmp_path):
    (tmp_path / "page.html").write_text(TEMPLATE, encoding="utf-8")
    loaders = ["django.template.loaders.filesystem.Loader"]
    i18n = {"i18n": "django.templatetags.i18n"}
    portal = Engine(
        dirs=[tmp_path],
        loaders=[("ipsportal.core.template_loader.Loader", loaders)],
        libraries=i18n,
    )
    django = Engine(
        dirs=[tmp_path],
        loaders=[("django.template.loaders.cached.Loader", loaders)],
        libraries=i18n,
    )
    return portal, django


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_form_of_the_tag_renders_as_with_djangos_own_loader(tmp_path, language):
    portal, django = _engines(tmp_path)
    context = {"shown": True, "numbers": [1, 2], "word": "Phase"}
    with translation.override(language):
        expected = django.get_template("page.html").render(Context(context))
        for _ in range(2):  # the first render keeps the texts, the second gives them back
            assert portal.get_template("page.html").render(Context(context)) == expected
        other = {"shown": False, "numbers": [], "word": "Citizen"}
        assert portal.get_template("page.html").render(Context(other)) == django.get_template(
            "page.html"
        ).render(Context(other))
    # A text written in the template is the template's own, unescaped either way; its percent
    # sign is put back.
    assert expected.count("Tom & Jerry's 50 % <b>") == 2


def test_a_kept_text_follows_the_language_of_each_render(tmp_path):
    portal, _django = _engines(tmp_path)
    page = portal.get_template("page.html")
    with translation.override("da"):
        danish = page.render(Context({}))
    with translation.override("en"):
        english = page.render(Context({}))
    with translation.override("da"):
        again = page.render(Context({}))
    assert "<h1>Borger</h1>" in danish
    assert "<h1>Citizen</h1>" in english
    assert again == danish


def test_only_the_plain_tags_are_kept(tmp_path):
    portal, _django = _engines(tmp_path)
    page = portal.get_template("page.html")
    kept = page.nodelist.get_nodes_by_type(KeptTranslation)
    # The heading, the two escapings, one in each branch of the if, of the loop, in the block.
    assert [node.text for node in kept] == [
        "Citizen",
        "Tom & Jerry's 50 % <b>",
        "Tom & Jerry's 50 % <b>",
        "Phase",
        "Citizen",
        "Citizen",
        "Phase",
        "Phase",
    ]


def test_the_portals_templates_are_loaded_by_it():
    loaders = template_engines["django"].engine.template_loaders
    assert [type(loader) for loader in loaders] == [Loader]


def test_a_changed_catalogue_is_shown_as_django_shows_it(tmp_path):
    """The development server tells Django when a catalogue (.mo) changes; the kept texts are
    forgotten with Django's own translations."""
    from pathlib import Path

    from django.utils.autoreload import file_changed
    from django.utils.translation import trans_real

    portal, _django = _engines(tmp_path)
    page = portal.get_template("page.html")
    with translation.override("da"):
        assert "<h1>Borger</h1>" in page.render(Context({}))
    try:
        file_changed.send(sender=None, file_path=Path("locale/da/LC_MESSAGES/django.mo"))
        with translation.override("da"):
            trans_real.translation("da")._catalog["Citizen"] = "Borgeren"
            assert "<h1>Borgeren</h1>" in page.render(Context({}))
    finally:
        file_changed.send(sender=None, file_path=Path("locale/da/LC_MESSAGES/django.mo"))
