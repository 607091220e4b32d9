"""The import's progress checkpoint, part of the request (or command) boundary like the
Idempotency-Key reservation: it commits the import record — nothing else is pending then, since
no row is written before every row has passed — so another request sees how far it has got."""
from ...extensions import db


def commit_progress(run) -> None:
    """The checkpoint of the HTTP view and the CLI: commit the import record (and nothing else is
    pending then) so another request sees the progress; loaded objects stay as they are."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
