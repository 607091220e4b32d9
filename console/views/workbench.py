"""工作台: each queue of the page registry with its count, for the signed-in staff member."""
from flask import render_template

from .. import bp
from ..auth import actor
from ..pages import visible_pages


@bp.route("/")
def workbench():
    staff = actor()
    queues = [(page, page.count(staff)) for page in visible_pages(staff) if page.count]
    return render_template("workbench.html", queues=queues)
