"""The answer of an endpoint that sends a file instead of JSON (an Excel workbook, a printable
PDF): how OpenAPI documents it, and the response with its Content-Disposition.

    @blp.downloads("/reports/figures.xlsx", query=FiguresQuery)      # routes.Blueprint
    def figures_xlsx(query):
        return XLSX.answer(export_figures(current_actor(), query), "figures.xlsx")
"""
from dataclasses import dataclass

from flask import Response

from server.excel import XLSX_MIMETYPE

PDF_MIMETYPE = "application/pdf"


@dataclass(frozen=True)
class FileKind:
    """A kind of file an endpoint sends: its media type, the description its 200 answer has in
    the OpenAPI document, and whether a browser saves it ("attachment") or shows it ("inline")."""
    mimetype: str
    description: str
    disposition: str = "attachment"

    def responses(self) -> dict:
        """The `responses` of flask-smorest's doc: a 200 whose body is the file's bytes."""
        return {"200": {"description": self.description, "content": {
            self.mimetype: {"schema": {"type": "string", "format": "binary"}}}}}

    def answer(self, body: bytes, filename: str) -> Response:
        """The file as the response, named `filename` for the browser."""
        return Response(body, mimetype=self.mimetype, headers={
            "Content-Disposition": f'{self.disposition}; filename="{filename}"'})


XLSX = FileKind(XLSX_MIMETYPE, "Excel 工作簿")
PDF = FileKind(PDF_MIMETYPE, "PDF", disposition="inline")  # printed from the browser
