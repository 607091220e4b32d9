"""Health checks for load balancers and the load harness: the stack's ceiling, and the database."""
import marshmallow as ma

from server.extensions import db

from .routes import Blueprint

PUBLIC = ("health", "health_db")

blp = Blueprint("health", __name__, description="健康检查")


class HealthSchema(ma.Schema):
    status = ma.fields.Str(required=True)


@blp.reads("/health", HealthSchema, public=True)
def health():
    """服务是否在运行（不访问数据库）"""
    return {"status": "ok"}


@blp.reads("/health/db", HealthSchema, public=True)
def health_db():
    """数据库是否可用（SELECT 1）；不可用时 503"""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
