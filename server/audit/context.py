"""The request id the client sent (X-Request-ID), set by the request boundary (server/web.py).

It is kept beside the server-made id on audit rows, for correlation with the client's logs, and
never in place of it: a client can send any id, so it proves nothing."""
from contextvars import ContextVar

client_request_id: ContextVar[str | None] = ContextVar("client_request_id", default=None)
