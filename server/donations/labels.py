"""爱心捐献贴: an A4 sheet of labels for one accepted donation — the donor's unit, the item and a
QR code the recipient scans in the mini-program to say it arrived. The donor's phone is printed
only when the donor consented (`show_phone`, set by the donor themself)."""
from io import BytesIO

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ..errors import Conflict
from ..extensions import db
from ..identity.models import Station, Unit, User
from .models import CATEGORIES, Donation, DonationStatus, GoodsUnit
from .services import get_donation

FONT = "STSong-Light"  # reportlab's built-in CID font: no font file needed, works offline
ACK_PAGE = "pages/donation/ack?code="  # the mini-program page a scan opens
COLUMNS, ROWS = 2, 4  # labels per A4 sheet
LABEL_W, LABEL_H = 95 * mm, 66 * mm


def ack_payload(code: str) -> str:
    """What the QR code holds: the mini-program's acknowledgement page with the label's code."""
    return ACK_PAGE + code


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _lines(donation: Donation) -> list[str]:
    unit = db.session.get(Unit, donation.donor_unit_id) if donation.donor_unit_id else None
    station = db.session.get(Station, donation.station_id)
    donor = db.session.get(User, donation.donor_id) if donation.donor_id else None
    lines = [f"捐献单位：{unit.name if unit else '爱心人士'}",
             f"物品：{CATEGORIES[donation.category].name} · {donation.item}",
             f"数量：{donation.quantity} {donation.unit}", f"捐助站：{station.name}"]
    if donation.show_phone and donor is not None and donor.contact_phone:
        lines.append(f"联系电话：{donor.contact_phone}")
    lines.append(f"编号：{donation.label_code}")
    return lines


def _draw_qr(pdf, payload: str, x: float, y: float, size: float) -> None:
    qr = segno.make(payload, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    border = 4
    cell = size / (len(matrix) + 2 * border)
    pdf.setFillGray(1)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillGray(0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + (c + border) * cell, y + size - (r + border + 1) * cell,
                         cell, cell, stroke=0, fill=1)


def _draw_label(pdf, donation: Donation, lines: list[str], x: float, y: float) -> None:
    font = _font()
    pdf.setStrokeGray(0.6)
    pdf.roundRect(x + 2 * mm, y + 2 * mm, LABEL_W - 4 * mm, LABEL_H - 4 * mm, 3 * mm)
    pdf.setFillGray(0)
    pdf.setFont(font, 15)
    pdf.drawString(x + 7 * mm, y + LABEL_H - 13 * mm, "爱心捐献贴")
    pdf.setFont(font, 9.5)
    for i, line in enumerate(lines):
        pdf.drawString(x + 7 * mm, y + LABEL_H - (21 + 6 * i) * mm, line[:24])
    pdf.setFont(font, 8)
    pdf.drawString(x + 7 * mm, y + 6 * mm, "受助人请扫码告诉捐献人：物品已收到")
    size = 34 * mm
    _draw_qr(pdf, ack_payload(donation.label_code), x + LABEL_W - size - 5 * mm,
             y + LABEL_H - size - 8 * mm, size)


def label_count(donation: Donation) -> int:
    """One label per piece, up to a sheet; grain and oil (斤) get one sheet's worth of two."""
    if donation.unit == GoodsUnit.JIN:
        return 2
    return max(1, min(donation.quantity, COLUMNS * ROWS))


def labels_pdf(actor, donation_id: int) -> bytes:
    """The donor or the station's staff print an accepted donation's labels."""
    donation = get_donation(actor, donation_id)  # the donor or the station's staff, else 404
    if donation.status != DonationStatus.ACCEPTED:
        raise Conflict("查验通过入库后才能打印捐献贴")
    lines = _lines(donation)
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"爱心捐献贴 {donation.label_code}")
    width, height = A4
    left = (width - COLUMNS * LABEL_W) / 2
    top = height - (height - ROWS * LABEL_H) / 2
    for index in range(label_count(donation)):
        col, row = index % COLUMNS, index // COLUMNS
        _draw_label(pdf, donation, lines, left + col * LABEL_W, top - (row + 1) * LABEL_H)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
