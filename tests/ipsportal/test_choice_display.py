"""A choice field shows its label in the reader's language, translating only that label."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from cases.models import EventKind, TimelineEvent
from ipsportal.core.choices import ChoiceDisplay

PROJECT_APPS = ("ipsportal.", "cases", "consent", "meetings", "reporting", "selfservice")


def _models_with_choices() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith(PROJECT_APPS)
        for field in model._meta.concrete_fields
        if field.choices
    ]


def test_every_model_with_a_choice_field_shows_one_label() -> None:
    missing = sorted(
        {model.__name__ for model, _field in _models_with_choices()}
        - {model.__name__ for model in apps.get_models() if issubclass(model, ChoiceDisplay)}
    )
    assert _models_with_choices(), "the project has choice fields"
    assert missing == []


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_label_is_the_one_django_would_show(language: str) -> None:
    """Every choice of every field, and a value no choice names, against Django's own."""
    with translation.override(language):
        for model, field in _models_with_choices():
            for value in [choice for choice, _label in field.flatchoices] + ["no-such-value"]:
                record = model(**{field.attname: value})
                shown = getattr(record, f"get_{field.name}_display")()
                assert shown == models.Model._get_FIELD_display(record, field), (model, value)


def test_the_label_follows_the_readers_language() -> None:
    event = TimelineEvent(kind=EventKind.REFERRAL_DECLINED)
    with translation.override("da"):
        danish = event.get_kind_display()
    with translation.override("en"):
        english = event.get_kind_display()
    assert english == "Referral declined"
    assert danish != english
    assert isinstance(danish, str)
