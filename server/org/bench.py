"""The import benchmark: a generated roster of serving members, imported through the normal path
into the current database (one street, one community and one unit are added for it)."""
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from ..database import unit_of_work
from ..extensions import db
from ..identity.actor import SYSTEM
from ..identity.models import Community, District, Skill, Street, Unit
from .imports import services
from .imports.progress import commit_progress
from .imports.templates import workbook_from_rows


def _fixtures(tag):
    district = db.session.execute(db.select(District).limit(1)).scalar_one_or_none()
    if district is None:
        district = District(name="基准区", city="杭州市")
        db.session.add(district)
        db.session.flush()
    street = Street(name=f"基准街道{tag}", district_id=district.id)
    db.session.add(street)
    db.session.flush()
    db.session.add(Community(name="基准社区", street_id=street.id, lat=30.29, lng=120.16))
    db.session.add(Unit(name=f"基准单位{tag}"))
    if db.session.get(Skill, "haircut") is None:
        db.session.add(Skill(code="haircut", name="理发", category="生活服务"))
    return street.name, f"基准单位{tag}"


def roster(n, street, unit, seed=1):
    rng = random.Random(seed)
    return [{"name": f"党员{i:05d}", "phone": f"17{seed % 10}{i:08d}",
             "street": street, "community": "基准社区", "unit": unit, "skills": "理发",
             "availability": "周六09:00-12:00；周日14:00-17:00", "capacity_per_day": 2,
             "lat": round(30.29 + rng.uniform(-0.01, 0.01), 6),
             "lng": round(120.16 + rng.uniform(-0.01, 0.01), 6)} for i in range(n)]


def _generate(n, street, unit, seed) -> bytes:
    """The roster, written in a child process: this process's peak memory is the import's."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_workbook, n, street, unit, seed).result()


def _workbook(n, street, unit, seed) -> bytes:
    return workbook_from_rows("volunteers", roster(n, street, unit, seed))


def run_bench(n: int) -> str:
    tag = str(int(time.time()))
    with unit_of_work():
        street, unit = _fixtures(tag)
    data = _generate(n, street, unit, int(tag) % 10)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    with unit_of_work():
        run = services.start_import(SYSTEM, "volunteers", "bench.xlsx", False)
        run = services.run_import(SYSTEM, run, data, checkpoint=commit_progress)
        status, created = run.status, run.created
    elapsed = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"{status}: {n} rows ({len(data) // 1024} KB workbook), {created} created in "
            f"{elapsed:.2f} s = {n / elapsed:.0f} rows/s; process peak RSS {rss_mb:.0f} MB "
            f"({rss_before:.0f} MB before the import, {rss_mb - rss_before:.0f} MB added by it)")
