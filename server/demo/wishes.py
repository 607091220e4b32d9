"""Demo micro-wishes in every state, with claims, points and the audit of their reviews."""
from datetime import timedelta

from ..extensions import db
from ..identity.models import RoleGrant, User
from ..points.services import credit_points
from ..timeutil import utcnow
from ..volunteers.models import Volunteer
from ..wishes.models import Wish, WishClaim
from ..wishes.services import compute_priority

# (title, description, category, skills)
WISHES = [
    ("想要一件厚棉衣", "独居老人，冬天的棉衣破了，想要一件厚实的棉衣过冬", "goods", []),
    ("孩子需要新书包", "孩子上三年级，书包带子断了，希望有一个新书包", "goods", []),
    ("台灯坏了想修一修", "孩子写作业用的台灯不亮了，希望有人帮忙看看", "repair", ["lamp_fix"]),
    ("洗衣机漏水", "家里的洗衣机用了十年，最近漏水，想请懂行的人看看", "repair", ["appliance_repair"]),
    ("厨房水龙头滴水", "水龙头关不紧一直滴水，想换个阀芯", "repair", ["plumbing"]),
    ("上门量血压", "老伴腿脚不便，想请医生上门量量血压", "health", ["blood_pressure"]),
    ("陪老人去医院复查", "下周二要去医院复查，子女不在身边，想有人陪同", "companionship", ["elder_care"]),
    ("教我用手机挂号", "想学会用手机在医院挂号和视频通话", "study", ["phone_help"]),
    ("孩子数学辅导", "初二孩子数学跟不上，希望周末有人辅导一两次", "study", ["tutoring"]),
    ("帮忙买米面油", "行动不便，想请人帮忙从超市买一袋米和一桶油", "errand", ["errands"]),
    ("想写一副春联", "快过年了，想请会书法的同志写一副春联", "other", ["calligraphy"]),
    ("租房合同咨询", "房东要涨租，想咨询一下合同怎么处理", "other", ["legal_advice"]),
    ("搬一个旧衣柜下楼", "旧衣柜要搬到楼下回收点，自己搬不动", "errand", ["moving"]),
    ("想要一台二手电风扇", "夏天家里没有风扇，想要一台能用的电风扇", "goods", []),
    ("打扫一下屋子", "刚出院，想请人帮忙打扫一下卫生", "errand", ["cleaning"]),
    ("想有人聊聊天", "老伴走后一个人住，希望有人每周来聊聊天", "companionship", ["counselling"]),
]
STATES = (["pending_review"] * 14 + ["open"] * 46 + ["claimed"] * 22 + ["fulfilled"] * 12
          + ["confirmed"] * 36 + ["rejected"] * 4 + ["cancelled"] * 5 + ["expired"] * 5)


def _reviewer(community_id: int) -> int | None:
    return db.session.execute(db.select(RoleGrant.user_id).filter_by(
        role="secretary", community_id=community_id)).scalar()


def _volunteer_for(rng, volunteers, wish_skills):
    fit = [v for v in volunteers if set(wish_skills) <= set(v.skills)] or volunteers
    return rng.choice(fit)


def _make(rng, owner: User, state: str, volunteers, now, age_days: float, pick=None) -> Wish:
    title, description, category, skills = pick or rng.choice(WISHES)
    created = now - timedelta(days=age_days)
    wish = Wish(owner_id=owner.id, community_id=owner.community_id, title=title,
                description=description, category=category, skills=skills,
                lat=owner.lat, lng=owner.lng, address=owner.address, status=state,
                content_check="pass", created_at=created, updated_at=created,
                estimated_value_fen=rng.choice([None, 3000, 8000, 15000, 30000]),
                needed_by=now + timedelta(days=rng.randint(3, 20)) if state != "expired"
                else now - timedelta(days=1),
                priority=compute_priority(owner.need_tier, created, None, now))
    if state not in ("pending_review",):
        wish.reviewed_by, wish.reviewed_at = _reviewer(owner.community_id), created + timedelta(hours=3)
    claimer = None
    if state in ("claimed", "fulfilled", "confirmed"):
        claimer = _volunteer_for(rng, volunteers, skills)
        wish.claimed_by = claimer.id
        wish.claimed_at = created + timedelta(hours=rng.randint(4, 48))
    db.session.add(wish)
    db.session.flush()
    if claimer is not None:
        _claim(rng, wish, claimer, state)
    if state in ("rejected", "cancelled", "expired"):
        wish.closed_at = created + timedelta(days=1)
        wish.review_reason = "与微心愿范围不符，已转社区其他渠道办理" if state == "rejected" else None
    return wish


def _claim(rng, wish: Wish, volunteer: Volunteer, state: str) -> None:
    claimed_at = wish.claimed_at
    done = state == "confirmed"
    db.session.add(WishClaim(wish_id=wish.id, volunteer_id=volunteer.id, claimed_at=claimed_at,
                             # Active claims saw progress lately (a call, a visit planned), so the
                             # scheduler's no-show rule does not reopen the demo at its first run.
                             last_progress_at=max(claimed_at, utcnow() - timedelta(hours=20)),
                             status="done" if done else "active"))
    if state in ("fulfilled", "confirmed"):
        wish.fulfilled_at = claimed_at + timedelta(days=1)
        wish.fulfil_note = "已按约定完成，老人很满意"
    if done:
        wish.confirmed_at = wish.closed_at = wish.fulfilled_at + timedelta(hours=5)
        wish.confirmed_by, wish.rating = wish.owner_id, rng.choice([4, 5, 5, 5])
        wish.thanks = "谢谢志愿者，帮了大忙！"
        credit_points(volunteer.id, "wish_confirmed", "wish", wish.id, now=wish.confirmed_at)
        if wish.rating == 5:
            credit_points(volunteer.id, "rating_bonus", "wish", wish.id, now=wish.confirmed_at)


def load_demo_wishes(rng, communities) -> int:
    now = utcnow()
    residents = db.session.execute(db.select(User).where(
        User.openid.like("demo-res-%")).order_by(User.id)).scalars().all()
    volunteers = db.session.execute(db.select(Volunteer).filter_by(status="active")
                                    .order_by(Volunteer.id)).scalars().all()
    for i, state in enumerate(STATES):
        # Wishes that went further are older, so every timestamp lies in the past.
        youngest = 4 if state in ("claimed", "fulfilled", "confirmed") else 0.2
        _make(rng, residents[i % len(residents)], state, volunteers, now,
              age_days=rng.uniform(youngest, 28))
    me = db.session.execute(db.select(User).filter_by(openid="demo-resident")).scalar_one()
    demo_volunteer = db.session.execute(db.select(Volunteer).join(User, User.id == Volunteer.user_id).where(
        User.openid == "demo-volunteer")).scalar_one()
    _make(rng, me, "fulfilled", [demo_volunteer], now, 4, WISHES[3])
    _make(rng, me, "open", volunteers, now, 1, WISHES[2])
    _make(rng, me, "pending_review", volunteers, now, 0.1, WISHES[5])
    db.session.flush()
    return len(STATES) + 3
