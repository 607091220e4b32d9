"""The privacy lifecycle (PIPL art. 45 and 47): a copy of everything held about a person
(export.py) and cancelling an account, 注销 (cancel.py, erase.py).

Cancelling keeps the rows others rely on (a confirmed wish, a points entry, a rating, an audit
row) but anonymous: the user row stays as a tombstone with a random, irreversible openid (so the
same WeChat account logs in to a new, empty account), no name, phone, address or position; the
free text the person wrote is erased; consents are deleted. The jobs process later deletes what
the retention table in docs/security.md says is no longer needed (jobs/housekeeping.py).
"""
