"""Imports every capability's models so the metadata (and Alembic) sees all tables."""
from .audit.models import AuditEntry  # noqa: F401
from .care.models import (  # noqa: F401  (care fund and casework)
    Batch,
    CareFund,
    Case,
    Contribution,
    Objection,
    Payment,
    Posting,
    PostingLine,
    Revisit,
    YearReport,
)
from .checkins.models import CheckIn  # noqa: F401  (volunteer service system, part b)
from .console_auth.models import ConsoleLogin  # noqa: F401  (the console, issue 13)

# --- donations and the love supermarket (issue 14)
from .donations import models as _donations_models  # noqa: F401, E402
from .idempotency.models import IdempotencyKey  # noqa: F401
from .identity.models import (  # noqa: F401
                              Community,
                              Consent,
                              District,
                              Grid,
                              RoleGrant,
                              Skill,
                              Station,  # noqa: F401, E402
                              Street,
                              Unit,
                              User,
)
from .matching_runs.models import MatchingRun, MatchProposal  # noqa: F401
from .notifications.models import OutboxMessage  # noqa: F401
from .orders.models import ServiceOffering, ServiceOrder, ServiceSlot  # noqa: F401
from .org.models import ImportRun  # noqa: F401

# volunteer service system (issue 16a): posts and pairings
from .pairings.models import (  # noqa: F401
                              Pairing,
                              PairingProposal,
                              PairingRun,
                              PairingVisit,
)
from .points.models import PointsEntry, PointsRule  # noqa: F401
from .posts.models import Post, PostHolder, PostLog  # noqa: F401
from .projects.models import Project, ProjectUpdate  # noqa: F401  (service system, b)
from .reports.models import CommunityFigures  # noqa: F401
from .scheduling.models import JobRun  # noqa: F401
from .service_days.models import ServiceDay, ServiceDayVenue, Stall, Venue  # noqa: F401
from .stars.models import StarPeerScore, StarPeriod, StarReview  # noqa: F401  (争六星)
from .volunteers.models import Volunteer  # noqa: F401
from .wechat.db_state import FakeWeChatCode, FakeWeChatGrant, WeChatToken  # noqa: F401
from .wishes.models import Wish, WishClaim  # noqa: F401
