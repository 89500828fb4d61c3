"""Texts kept for later and worded when they are read, in the reader's language.

A service that records what happened (a course's timeline, a plan's history) knows the choices
that were made, a phase or the form of a contact, but not who will read about it: a colleague
reading Danish, another reading English. It keeps the text as a message with its arguments. The
message and the labels of the choices are translated when the text is shown; what people wrote
(names, notes, next steps) is shown as they wrote it.

A message that is only its arguments and punctuation ("%(employer)s: %(outcome)s") reads the
same in every language and is not marked for translation.

Stored as JSON: ``{"message": ..., "args": {name: argument}}``, where an argument is a string or
a number, a choice (``{"model": "app_label.model", "field": ..., "value": ...}``) or another
wording.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext


@dataclass(frozen=True)
class ChoiceLabel:
    """The label of a model field's choice, looked up when it is shown."""

    model: str
    field: str
    value: str
    lower: bool = False

    def __str__(self) -> str:
        label = self._label()
        return label.lower() if self.lower else label

    def _label(self) -> str:
        try:
            model_field = apps.get_model(self.model)._meta.get_field(self.field)
        except (LookupError, FieldDoesNotExist):
            return self.value
        for value, label in getattr(model_field, "flatchoices", ()):
            if value == self.value:
                return force_str(label)
        # A choice that has since been removed: its code is all that is left to show.
        return self.value


def label_of(instance: models.Model, field_name: str, *, lower: bool = False) -> ChoiceLabel:
    """The label of the instance's choice in ``field_name``, for a wording."""
    return ChoiceLabel(
        model=instance._meta.label_lower,
        field=field_name,
        value=str(getattr(instance, field_name)),
        lower=lower,
    )


@dataclass(frozen=True)
class Wording:
    """A message (marked with ``gettext_noop`` where it is written, so that it is in the
    catalogues) and its arguments; ``str()`` words it in the active language."""

    message: str
    args: Mapping[str, "Argument"] = field(default_factory=dict)

    def __str__(self) -> str:
        message = gettext(self.message)
        if not self.args:
            return message
        return message % {name: _worded(argument) for name, argument in self.args.items()}

    def as_json(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "args": {name: _argument_json(argument) for name, argument in self.args.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Wording":
        return cls(
            message=data["message"],
            args={name: _argument_from_json(value) for name, value in data["args"].items()},
        )


type Argument = str | int | ChoiceLabel | Wording


def worded(message: str, /, **args: Argument) -> Wording:
    return Wording(message=message, args=args)


def _worded(argument: Argument) -> str | int:
    # Numbers stay numbers for the message's %d.
    return argument if isinstance(argument, int) else str(argument)


def _argument_json(argument: Argument) -> object:
    if isinstance(argument, Wording):
        return argument.as_json()
    if isinstance(argument, ChoiceLabel):
        return {
            "model": argument.model,
            "field": argument.field,
            "value": argument.value,
            "lower": argument.lower,
        }
    return argument


def _argument_from_json(value: Any) -> Argument:
    if isinstance(value, Mapping):
        if "message" in value:
            return Wording.from_json(value)
        return ChoiceLabel(
            model=value["model"],
            field=value["field"],
            value=value["value"],
            lower=value.get("lower", False),
        )
    return value if isinstance(value, int) else str(value)


class StandardTexts:
    """Texts the portal itself writes into data that people may change afterwards (the items of
    an agenda template, the meeting lead's role): a stored text that is still one of them, in
    whichever language it was written, is shown in the reader's language; a text someone wrote
    is shown as written."""

    def __init__(self, *texts: "str | Promise") -> None:
        self._texts = texts

    def worded(self, stored: str) -> str:
        standard = self._by_any_wording.get(stored)
        return stored if standard is None else str(standard)

    @functools.cached_property
    def _by_any_wording(self) -> dict[str, "str | Promise"]:
        languages = {code for code, _name in (*settings.LANGUAGES, *settings.CITIZEN_LANGUAGES)}
        by_wording: dict[str, str | Promise] = {}
        for text in self._texts:
            for language in languages:
                with translation.override(language):
                    by_wording[str(text)] = text
        return by_wording
