"""gunicorn settings read from the project's root (gunicorn loads ./gunicorn.conf.py by itself);
the command line (Procfile, Makefile, the reliability harness) sets workers, threads and bind."""
import os

# Behind a proxy or load balancer that keeps connections open: longer than gunicorn's 2 s, so a
# request sent on a connection the server is just closing is not reset (docs/reliability.md).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))


def post_worker_init(worker):
    """Each worker starts the matching engine's fork server at boot, so the first matching run
    under load does not pay for importing the engine (~0.5 s of CPU)."""
    import matching
    matching.start_solver_server()
