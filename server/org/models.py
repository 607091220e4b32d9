"""An import of a workbook: its kind, progress and outcome (the rows themselves are not kept)."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Keyed, known
from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class ImportKind(StrEnum):
    COMMUNITIES = "communities"
    UNITS = "units"
    VOLUNTEERS = "volunteers"
    RESIDENTS = "residents"


class ImportStatus(StrEnum):
    RUNNING = "running"   # rows are being read and checked
    CHECKED = "checked"   # a dry run found no bad row; nothing was written
    DONE = "done"         # every row was written
    FAILED = "failed"     # at least one bad row; nothing was written


KIND_NAMES = {ImportKind.COMMUNITIES: "社区", ImportKind.UNITS: "共建单位",
              ImportKind.VOLUNTEERS: "报到党员（志愿者）", ImportKind.RESIDENTS: "居民"}
STATUS_NAMES = {ImportStatus.RUNNING: "导入中", ImportStatus.CHECKED: "检查通过（试导入，未写入）",
                ImportStatus.DONE: "已导入", ImportStatus.FAILED: "有错误，未写入"}


class ImportRun(Keyed, db.Model):
    __tablename__ = "imports"
    __table_args__ = (known(ImportStatus),)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default=ImportStatus.RUNNING)
    dry_run: Mapped[bool] = mapped_column(default=False)
    filename: Mapped[str] = mapped_column(String(200), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    rows: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    # [{row, column, message}] — at most the first 1,000 bad cells are kept.
    errors: Mapped[list] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
