"""报到: volunteers check in at a service day's venues, within the radius and the day's hours.

Importing the package adds its figures (members reported, check-ins, hours, households visited,
wishes fulfilled) to every service day's figures (server/service_days EXTRA_FIGURES)."""
from ..service_days.services import EXTRA_FIGURES
from .figures import checkin_figures

if checkin_figures not in EXTRA_FIGURES:
    EXTRA_FIGURES.append(checkin_figures)
