"""Django's ``{% url %}``, writing the path by ``path_to`` (ipsportal/core/links.py).

A built-in of the portal's templates, loaded after Django's own (settings: TEMPLATES'
"builtins"), so it is every template's ``{% url %}``. Django's tag reverses on every render
(about 20 µs); every page writes a dozen of them in its header and menu alone, and the pages
about a record more. A route with no values, or with values given by name, goes to ``path_to``,
which keeps the route's path and writes UUIDs into it and leaves anything else to ``reverse()``;
values given by position go to Django's tag. The portal mounts each application once, so the
instance a namespace could name (Django's ``current_app``) does not change a path."""

from django import template
from django.template import Context, defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from ipsportal.core.links import path_to

register = template.Library()


class PathNode(defaulttags.URLNode):
    def render(self, context: Context) -> str:
        if self.args:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        try:
            path = path_to(view_name, **values)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            path = ""
        if self.asvar:
            context[self.asvar] = path
            return ""
        return conditional_escape(path) if context.autoescape else path


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> PathNode:
    node = defaulttags.url(parser, token)
    return PathNode(node.view_name, node.args, node.kwargs, node.asvar)
