"""Every PDF the portal makes (the letters, the plan, the copy of a citizen's data) is made here,
as a tagged PDF/UA-1: its headings, paragraphs, lists and tables are marked in a structure a
screen reader reads, it carries the language of its HTML and shows its title. The citizens
who receive them include the blind and partially sighted, and what a public authority hands
out must meet the same accessibility rules as its pages. The templates give each PDF its
``<title>`` and ``<html lang>``."""

PDF_VARIANT = "pdf/ua-1"


def pdf_from_html(html: str, *, base_url: str | None = None) -> bytes:
    # WeasyPrint is imported on first use: it takes longer to load than the rest of a web
    # process's modules, and most processes never make a PDF.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
