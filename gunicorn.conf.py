"""gunicorn settings read from the project's root (gunicorn loads ./gunicorn.conf.py by itself);
the command line (Procfile, Makefile, the reliability harness) sets workers, threads and bind."""
import os

from gunicorn.glogging import Logger

# Behind a proxy or load balancer that keeps connections open: longer than gunicorn's 2 s, so a
# request sent on a connection the server is just closing is not reset (docs/reliability.md).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))


class CoarseAccessLogger(Logger):
    """The access log never holds an exact position: `lat`/`lng` in a query string (the wall,
    the menu) are rounded to about 1 km in the request line (%(r)s) and the query (%(q)s)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        query = environ.get("QUERY_STRING") or ""
        if query:
            from server.logsafe import coarse_query
            safe = coarse_query(query)
            path = environ.get("RAW_URI", "").split("?", 1)[0]
            atoms["q"] = safe
            atoms["r"] = f"{environ['REQUEST_METHOD']} {path}?{safe} {environ['SERVER_PROTOCOL']}"
            for key, value in atoms.items():  # the environ atoms too: {raw_uri}e, {query_string}e
                if isinstance(value, str) and query in value:
                    atoms[key] = value.replace(query, safe)
        return atoms


logger_class = CoarseAccessLogger


def post_worker_init(worker):
    """Each worker starts the matching engine's fork server at boot, so the first matching run
    under load does not pay for importing the engine (~0.5 s of CPU)."""
    import matching
    matching.start_solver_server()
