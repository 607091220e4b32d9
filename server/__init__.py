"""Lianxin (连心桥): the application factory.

create_app() is the composition root: it is the one place in server/ that knows the HTTP layer
(miniapp_api), the console (console/) and the jobs package (for its `flask jobs` commands), and it imports them lazily.
The domain packages never import miniapp_api or jobs.
"""
import logging
import os

from flask import Flask

from .config import load_config, settings
from .extensions import migrate, render_item


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    app.config.update(config or {})
    logging.basicConfig(level=settings(app).log_level)

    from . import models  # noqa: F401  registers every table on the metadata
    from .extensions import db  # not the global: importing server.db rebinds that name
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, render_item=render_item, compare_type=True)
    with app.app_context():
        # composition root: loaded when an app is built, not on `import server`
        from .db import configure_engine  # noqa: I001
        configure_engine(app)

    # composition root: the app factory imports what it wires, so `import server.x` stays light
    from .errors import register_error_handlers
    from .web import register_request_hooks
    register_error_handlers(app)
    register_request_hooks(app)

    from miniapp_api import register_api  # the HTTP layer imports server: load it after
    register_api(app)
    from console import register_console  # the second face (DESIGN.md): console → server
    register_console(app)
    from .ratelimit import init_rate_limits  # composition root, as above
    init_rate_limits(app)  # after the endpoints it limits are registered

    hops = settings(app).trusted_proxies
    if hops > 0:  # behind that many proxies: the client's address and scheme from X-Forwarded-*
        from werkzeug.middleware.proxy_fix import ProxyFix  # only behind proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from .cli import register_cli  # commands, and jobs (which imports server), load last
    register_cli(app)
    from jobs.cli import register_jobs_cli  # jobs imports server: load it after
    register_jobs_cli(app)
    return app
