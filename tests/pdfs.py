"""What a screen reader and a PDF/UA checker read in a PDF: whether it is tagged, its language,
its title and whether a viewer shows it, and the kinds of its structure's elements."""

import io
import re
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass(frozen=True)
class PdfAccess:
    tagged: bool
    language: str
    title: str
    shows_title: bool
    pdf_ua_part: str
    structure: frozenset[str]


def pdf_access(data: bytes) -> PdfAccess:
    reader = PdfReader(io.BytesIO(data))
    root = cast(DictionaryObject, reader.trailer["/Root"].get_object())
    mark_info = root.get("/MarkInfo", {})
    preferences = root.get("/ViewerPreferences", {})
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data().decode() if metadata is not None else ""
    part = re.search(r'pdfuaid:part="(\d)"', xmp)
    return PdfAccess(
        tagged=bool(mark_info.get("/Marked")) and "/StructTreeRoot" in root,
        language=str(root.get("/Lang", "")),
        title=str(reader.metadata.get("/Title", "")) if reader.metadata else "",
        shows_title=bool(preferences.get("/DisplayDocTitle")),
        pdf_ua_part=part.group(1) if part else "",
        structure=frozenset(_element_kinds(root.get("/StructTreeRoot"))),
    )


def _element_kinds(node: Any) -> set[str]:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject):
        return set().union(*(_element_kinds(child) for child in node))
    if not isinstance(node, DictionaryObject):
        return set()  # a marked-content id: text, not an element
    kinds = {str(node["/S"]).lstrip("/")} if "/S" in node else set()
    return kinds | _element_kinds(node.get("/K"))


def accessibility_problems(
    data: bytes, *, language: str, title: str, elements: set[str]
) -> list[str]:
    """What keeps the PDF from being a tagged PDF/UA-1 in ``language``, titled ``title`` (shown
    by the viewer), with at least these kinds of elements (H1, P, L, Table ...); [] if nothing."""
    access = pdf_access(data)
    expected = {
        "tagged": (access.tagged, True),
        "PDF/UA part": (access.pdf_ua_part, "1"),
        "the viewer shows the title": (access.shows_title, True),
        "language": (access.language, language),
        "title": (access.title, title),
        "elements": (elements <= access.structure, True),
    }
    return [
        f"{name}: {found!r}, not {wanted!r}"
        for name, (found, wanted) in expected.items()
        if found != wanted
    ]
