"""A municipality's statement of a cost split as a PDF, through the
contracts' WeasyPrint pipeline and its fetcher that serves bundled static
files only (contracts/pdf.py)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from contracts.pdf import STYLESHEET, render_html_to_pdf, static_url


def render_statement(share, line) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "tariffs/pdf/statement.html",
            {
                "stylesheet": static_url(STYLESHEET),
                "share": share,
                "line": line,
                "today": timezone.localdate(),
            },
        )
    return render_html_to_pdf(html)
