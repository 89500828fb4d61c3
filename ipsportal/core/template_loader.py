"""The portal's template loader: Django's cached loader, whose templates render each plain
``{% translate "text" %}`` once per language.

Django's tag makes its text lazy on every render, looks it up, escapes it and puts its percent
signs back: about 6 µs, fifty to a hundred times a page (docs/benchmarks.md). A tag with a
constant text and nothing else (no filter, no ``as``, no ``context``, no ``noop``) gives the same
output for the same language and escaping on every render, so its first output is kept and
given again. The first output is Django's own tag's, so what a page shows does not change;
every other tag is left as Django parsed it. A new catalogue takes effect as Django's own
translations take it: when a process starts, when the development server sees a catalogue
change, and when a test changes the languages or where the catalogues are.
"""

from collections.abc import Iterator
from pathlib import Path

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Template
from django.template.base import Node, NodeList, Origin, Variable
from django.template.loaders import cached
from django.templatetags.i18n import TranslateNode
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# (text, language, escaped): the tag's output. As many as the portal's texts times its languages.
_rendered: dict[tuple[str, str | None, bool], SafeString | str] = {}


class Loader(cached.Loader):
    def get_template(self, template_name: str, skip: list[Origin] | None = None) -> Template:
        template = super().get_template(template_name, skip)
        if not getattr(template, "translations_kept", False):
            _keep_translations(template.nodelist)
            template.translations_kept = True  # type: ignore[attr-defined]
        return template


class KeptTranslation(Node):
    """A ``{% translate "text" %}`` whose output is kept per language and escaping."""

    child_nodelists = ()

    def __init__(self, tag: TranslateNode, text: str) -> None:
        self.tag = tag
        self.text = text
        self.token = tag.token
        self.origin = tag.origin

    def render(self, context: Context) -> SafeString | str:
        key = (self.text, get_language(), context.autoescape)
        try:
            return _rendered[key]
        except KeyError:
            output: SafeString | str = self.tag.render(context)
            _rendered[key] = output
            return output


def _keep_translations(nodelist: NodeList) -> None:
    for position, node in enumerate(nodelist):
        text = _constant_text(node)
        if text is not None:
            nodelist[position] = KeptTranslation(node, text)  # type: ignore[arg-type]
        else:
            for inner in _nodelists_in(node):
                _keep_translations(inner)


def _constant_text(node: Node) -> str | None:
    """The text of a ``{% translate %}`` that renders the same whatever the context holds."""
    if type(node) is not TranslateNode:
        return None
    expression = node.filter_expression
    variable = expression.var
    if (
        node.noop
        or node.asvar
        or node.message_context is not None
        or expression.filters
        or not isinstance(variable, Variable)
        or variable.lookups is not None
        or not isinstance(variable.literal, str)
    ):
        return None
    return variable.literal


def _nodelists_in(node: Node) -> Iterator[NodeList]:
    """Every node list a node holds: its own attributes (a block's, a loop's) and the branches
    of an ``{% if %}``, which keeps them as (condition, nodes) pairs."""
    for value in vars(node).values():
        if isinstance(value, NodeList):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, NodeList):
                    yield item
                elif isinstance(item, tuple):
                    yield from (part for part in item if isinstance(part, NodeList))


@receiver(setting_changed)
def _forget_on_language_change(*, setting: str, **kwargs: object) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _rendered.clear()


@receiver(file_changed)
def _forget_on_new_catalogue(*, file_path: Path, **kwargs: object) -> None:
    if file_path.suffix == ".mo":
        _rendered.clear()
