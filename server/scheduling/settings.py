"""The guard of maintenance services (settings live in server/config.py: settings())."""
from ..errors import Forbidden


def system_only(actor) -> None:
    """Maintenance services run for the jobs process or an operator's command, never a user."""
    if not actor.is_system:
        raise Forbidden("只有系统任务可以执行此操作")
