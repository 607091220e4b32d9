"""Found by the demo fuzz (issue 13 session): a cancel reason of only a tab passed the schema and
the WeChat message builder refused it — a 500. Now a 422 with a Chinese message."""
import pytest

from server.extensions import db
from tests.order_world import add_orders


@pytest.mark.parametrize("reason", ["\t", "   ", "\n"])
def test_a_blank_cancel_reason_is_422(client, world, login, reason):
    add_orders(world)
    db.session.commit()
    order = world.orders["requested"]
    resp = client.post(f"/api/v1/orders/{order.id}/cancel", headers=login("secretary"),
                       json={"reason": reason})
    assert resp.status_code == 422, resp.get_json()
    assert "请填写原因" in str(resp.get_json()["errors"])
    db.session.refresh(order)
    assert order.status == "requested"
