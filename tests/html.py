"""Reading a rendered page as its reader does: the text in a table's cells."""

import re


def table_rows(html: str) -> list[list[str]]:
    """The text of each body row's cells, in every table on the page."""
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        if "<td>" in row
    ]
