"""Job and maintenance settings: the app's config first (tests set it), then the environment."""
import os

from flask import current_app, has_app_context

from ..errors import Forbidden


def setting(name: str, default):
    """`name` from app.config, else from os.environ, else `default`, cast to default's type."""
    if has_app_context() and name in current_app.config:
        value = current_app.config[name]
    else:
        value = os.environ.get(name, default)
    return type(default)(value)


def system_only(actor) -> None:
    """Maintenance services run for the jobs process or an operator's command, never a user."""
    if "system" not in actor.roles:
        raise Forbidden("只有系统任务可以执行此操作")
