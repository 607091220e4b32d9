"""Placeholder, filled in phase 2."""
from flask import render_template

from .. import bp


@bp.route("/volunteers")
def volunteers():
    return render_template("error.html", code="建设中", message="此页面正在建设中")
