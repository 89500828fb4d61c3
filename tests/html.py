"""Reading a rendered page as its reader does: the text in a table's cells, and what a form
sends when its user presses the button without changing anything."""

import re
from html.parser import HTMLParser


def table_rows(html: str) -> list[list[str]]:
    """The text of each body row's cells, in every table on the page."""
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        if "<td>" in row
    ]


class _FormReader(HTMLParser):
    """The successful controls of the page's forms, in the browser's rules: text inputs with
    their value, checked boxes and radios, each select's selected option (else its first)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name", "")
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "input" and name and "disabled" not in attributes:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.forms[-1][name] = attributes.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.forms[-1][name] = attributes.get("value", "")
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attributes:
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.forms[-1][name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._first_option
            self.forms[-1][self._select] = chosen or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def untouched_form(html: str, *, field: str) -> dict[str, str]:
    """What the page's form holding ``field`` sends when nothing in it is changed."""
    reader = _FormReader()
    reader.feed(html)
    return next(form for form in reader.forms if field in form)
