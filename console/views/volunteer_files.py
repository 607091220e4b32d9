"""一人一档: the volunteers of my communities, and each one's whole file with its Excel export
(server.volunteer_file.services, the service of GET /volunteers/{id}/file and .xlsx)."""
from flask import Response, render_template, request
from sqlalchemy.orm import joinedload

from server.excel import XLSX_MIMETYPE
from server.identity.models import User
from server.points.services import list_rules
from server.volunteer_file import services
from server.volunteer_file.sections import SECTIONS
from server.volunteers.models import Volunteer, VolunteerStatus
from server.volunteers.services import list_volunteers

from .. import bp
from ..auth import actor
from ..labels import skill_names
from ..queues import count, first_rows

PAGE_ROWS = 100


@bp.route("/volunteer-files")
def volunteer_files():
    staff = actor()
    query = list_volunteers(staff, status=VolunteerStatus.ACTIVE)
    text = (request.args.get("q") or "").strip()[:20]
    if text:
        query = query.join(User, User.id == Volunteer.user_id).where(User.name.contains(text))
    rows = first_rows(query.options(joinedload(Volunteer.user).joinedload(User.community),
                                    joinedload(Volunteer.unit)), PAGE_ROWS)  # no query per row
    return render_template("volunteer_files.html", rows=rows, total=count(query), q=text,
                           skills=skill_names())


@bp.route("/volunteers/<int:volunteer_id>/file")
def volunteer_file(volunteer_id):
    data = services.volunteer_file(actor(), volunteer_id)
    rules = {rule.code: rule.description for rule in list_rules()}  # 积分明细's 事由 in Chinese
    return render_template("volunteer_file.html", data=data, sections=SECTIONS,
                           volunteer_id=volunteer_id, rules=rules)


@bp.route("/volunteers/<int:volunteer_id>/file.xlsx")
def volunteer_file_xlsx(volunteer_id):
    body = services.file_workbook(actor(), volunteer_id)
    return Response(body, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="volunteer-{volunteer_id}-file.xlsx"'})
