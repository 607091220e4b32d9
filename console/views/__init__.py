"""The console's pages, one module per capability; each module's routes land on console.bp.
A capability adds its module's name here (and its pages to console/pages.py NAV)."""
import importlib

MODULES = (
    "workbench",
    # the core queues (issue 13)
    "wishes", "volunteers", "orders", "matching",
    # reports, service day, points rules, org tree, audit (issue 13, h13b)
    "reports", "admin",
    "org", "imports", "roles",  # 组织架构, 批量导入, 角色授予 (issue 13, hd)
    # donations, care fund, volunteer service system (issues 14-16)
    "posts", "pairings", "volunteer_files",  # volunteer service system (issue 16a)
    "donations",
    "care",  # care fund and casework (issue 15)
    "projects", "checkins", "stars",  # volunteer service system, part b
)


def register_views() -> None:
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
