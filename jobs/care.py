"""Care casework jobs: revisit reminders (daily) and the yearly report draft (each March)."""
from server.care.maintenance import remind_revisits
from server.care.reports import draft_year_reports
from server.identity.actor import SYSTEM


def revisits(now):
    return remind_revisits(SYSTEM, now=now)


def year_report(now):
    return draft_year_reports(SYSTEM, now=now)
