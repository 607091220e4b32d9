"""爱心捐献贴: the label sheet is a real PDF; rendered with poppler (pdftoppm -png -r 150) its QR
decodes (zxing-cpp) back to the acknowledgement code; the donor's phone appears only with the
donor's consent."""
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from server.donations.labels import ack_payload
from tests.donation_world import build_donations

API = "/api/v1"


def _render(pdf: bytes, tmp_path: Path) -> Image.Image:
    (tmp_path / "labels.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "labels.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)
    return Image.open(tmp_path / "page.png")


def _text(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "t.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], check=True,
                          capture_output=True, timeout=60).stdout.decode()


def _accepted_gift(client, world, login, **extra):
    w = build_donations(world)
    made = client.post(f"{API}/donations", headers=login("resident2"), json={
        "station_id": w.stations["a"].id, "category": "clothing", "item": "羽绒服",
        "quantity": 3, "unit": "件", "donor_unit_id": w.units[0].id, **extra}).get_json()
    done = client.post(f"{API}/donations/{made['id']}/inspect", headers=login("keeper"),
                       json={"decision": "accept"}).get_json()
    return w, done


def test_label_pdf_renders_and_its_qr_decodes_to_the_ack_code(client, world, login, tmp_path):
    w, done = _accepted_gift(client, world, login)
    resp = client.get(f"{API}/donations/{done['id']}/labels.pdf", headers=login("resident2"))
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    image = _render(resp.data, tmp_path)
    assert image.size[0] == pytest.approx(1240, abs=3)  # A4 at 150 dpi
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 3  # one label per piece
    assert {c.text for c in codes} == {ack_payload(done["label_code"])}
    text = _text(resp.data, tmp_path)
    assert "爱心捐献贴" in text and "羽绒服" in text and w.units[0].name in text
    assert "1393" not in text  # resident2's phone: no consent, no phone
    # the code the QR carries is the one the recipient acknowledges with
    code = codes[0].text.rsplit("=", 1)[1]
    assert client.post(f"{API}/labels/{code}/ack", headers=login("resident"),
                       json={}).status_code in (200, 403)


def test_phone_is_printed_only_with_the_donors_consent(client, world, login, tmp_path):
    _, done = _accepted_gift(client, world, login, show_phone=True)
    resp = client.get(f"{API}/donations/{done['id']}/labels.pdf", headers=login("keeper"))
    assert "13933334444" in _text(resp.data, tmp_path)


def test_no_label_before_acceptance(client, world, login):
    w = build_donations(world)
    resp = client.get(f"{API}/donations/{w.received.id}/labels.pdf", headers=login("resident"))
    assert resp.status_code == 409
