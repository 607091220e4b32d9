"""Helpers of the administration tests: workbooks, uploads, admins of a narrower scope."""
import io

from server.extensions import db
from server.identity.models import RoleGrant
from server.org.imports.templates import workbook_from_rows
from tests.factories import make_user

API = "/api/v1"


def upload(client, headers, kind, rows=None, *, data=None, dry_run=False, filename="f.xlsx"):
    body = data if data is not None else workbook_from_rows(kind, rows)
    url = f"{API}/admin/imports?kind={kind}" + ("&dry_run=true" if dry_run else "")
    return client.post(url, headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(body), filename)})


def scoped_admin(world, openid, **grant):
    """An admin whose grant covers one community or one street only."""
    user = make_user(openid, world.communities[0], "范围管理员")
    db.session.add(RoleGrant(user_id=user.id, role="admin", **grant))
    db.session.commit()
    return user


def volunteer_row(i=0, **extra):
    row = {"name": f"党员{i}", "phone": f"1770000{i:04d}", "street": "测试街道1",
           "community": "甲社区", "unit": "区人民医院党委", "skills": "理发、电器维修",
           "availability": "周六09:00-12:00；周日14:00-17:00", "capacity_per_day": 2}
    row.update(extra)
    return row


def resident_row(i=0, **extra):
    row = {"name": f"居民{i}", "phone": f"1660000{i:04d}", "street": "测试街道1",
           "community": "甲社区", "address": f"甲路{i}号"}
    row.update(extra)
    return row
