"""The demo city: Shanghai's government, its 16 districts, the municipal
departments the 2018 plan names, and one demo user per role.

Organisation codes are illustrative (administrative division codes padded to nine
digits for the city and districts); a real deployment enters its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from portal import services
from portal.models import Agency, Membership, Role

DEMO_PASSWORD = "gongkai-demo-2026"  # noqa: S105 - documented demo credential

CITY = ("310000000", "上海市人民政府", "市政府")

DISTRICTS = [
    ("310101000", "上海市黄浦区人民政府", "黄浦区"),
    ("310104000", "上海市徐汇区人民政府", "徐汇区"),
    ("310105000", "上海市长宁区人民政府", "长宁区"),
    ("310106000", "上海市静安区人民政府", "静安区"),
    ("310107000", "上海市普陀区人民政府", "普陀区"),
    ("310109000", "上海市虹口区人民政府", "虹口区"),
    ("310110000", "上海市杨浦区人民政府", "杨浦区"),
    ("310112000", "上海市闵行区人民政府", "闵行区"),
    ("310113000", "上海市宝山区人民政府", "宝山区"),
    ("310114000", "上海市嘉定区人民政府", "嘉定区"),
    ("310115000", "上海市浦东新区人民政府", "浦东新区"),
    ("310116000", "上海市金山区人民政府", "金山区"),
    ("310117000", "上海市松江区人民政府", "松江区"),
    ("310118000", "上海市青浦区人民政府", "青浦区"),
    ("310120000", "上海市奉贤区人民政府", "奉贤区"),
    ("310151000", "上海市崇明区人民政府", "崇明区"),
]

DEPARTMENTS = [
    ("310000101", "上海市人民政府办公厅", "市政府办公厅"),
    ("310000102", "上海市发展和改革委员会", "市发展改革委"),
    ("310000103", "上海市商务委员会", "市商务委"),
    ("310000104", "上海市教育委员会", "市教委"),
    ("310000105", "上海市卫生和计划生育委员会", "市卫生计生委"),
    ("310000106", "上海市环境保护局", "市环保局"),
    ("310000107", "上海市财政局", "市财政局"),
    ("310000108", "上海市民政局", "市民政局"),
    ("310000109", "上海市人力资源和社会保障局", "市人力资源社会保障局"),
    ("310000110", "上海市住房和城乡建设管理委员会", "市住房城乡建设管理委"),
    ("310000111", "上海市规划和国土资源管理局", "市规划国土资源局"),
    ("310000112", "上海市交通委员会", "市交通委"),
]

SUBUNITS = [
    ("310101010", "上海市黄浦区教育局", "黄浦区教育局", "310101000"),
    ("310101011", "上海市黄浦区财政局", "黄浦区财政局", "310101000"),
    ("310115010", "上海市浦东新区规划和自然资源局", "浦东新区规划资源局", "310115000"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    agency_code: str | None
    role: str | None
    superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", "系统管理员", None, None, superuser=True),
    DemoUser("coordinator", "张政务（市政务公开办）", CITY[0], Role.COORDINATOR),
    DemoUser("city_reviewer", "陈法审（市司法审核）", CITY[0], Role.REVIEWER),
    DemoUser("huangpu_editor", "李编辑（黄浦区）", "310101000", Role.EDITOR),
    DemoUser("huangpu_reviewer", "王审核（黄浦区）", "310101000", Role.REVIEWER),
    DemoUser("caizheng_editor", "赵编辑（市财政局）", "310000107", Role.EDITOR),
    DemoUser("caizheng_reviewer", "钱审核（市财政局）", "310000107", Role.REVIEWER),
    DemoUser("pudong_editor", "孙编辑（浦东新区）", "310115000", Role.EDITOR),
    DemoUser("pudong_reviewer", "周审核（浦东新区）", "310115000", Role.REVIEWER),
]


def _superuser() -> User:
    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin",
        defaults={"first_name": "系统管理员", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    return admin


def _agency(
    actor: User,
    code: str,
    name: str,
    short: str,
    kind: str,
    parent: Agency | None,
    order: int,
) -> Agency:
    existing = Agency.objects.filter(code=code).first()
    if existing:
        return existing
    return services.agency_create(
        actor=actor,
        code=code,
        name=name,
        short_name=short,
        kind=kind,
        parent=parent,
        sort_order=order,
    )


@transaction.atomic
def seed_agencies_and_users() -> dict[str, Agency]:
    """Create the demo city and users; leave what already exists alone."""
    admin = _superuser()
    city = _agency(admin, *CITY, Agency.Kind.CITY, None, 0)
    agencies = {city.code: city}
    for order, (code, name, short) in enumerate(DISTRICTS, start=1):
        agencies[code] = _agency(
            admin, code, name, short, Agency.Kind.DISTRICT, city, order
        )
    for order, (code, name, short) in enumerate(DEPARTMENTS, start=100):
        agencies[code] = _agency(
            admin, code, name, short, Agency.Kind.DEPARTMENT, city, order
        )
    for order, (code, name, short, parent) in enumerate(SUBUNITS, start=1):
        agencies[code] = _agency(
            admin, code, name, short, Agency.Kind.SUBUNIT, agencies[parent], order
        )
    user_model = get_user_model()
    for demo in DEMO_USERS:
        if demo.superuser:
            continue
        user = user_model.objects.filter(username=demo.username).first()
        if user is None:
            user = services.user_create(
                actor=admin,
                username=demo.username,
                password=DEMO_PASSWORD,
                full_name=demo.full_name,
                # An address under the reserved .example domain, so `make run`
                # shows the staff digests in var/mail/ (nothing is delivered).
                email=f"{demo.username}@gongkai.example",
                agency=agencies[demo.agency_code],
            )
        agency = agencies[demo.agency_code]
        if not Membership.objects.filter(
            user=user, agency=agency, role=demo.role
        ).exists():
            services.membership_grant(
                actor=admin, user=user, agency=agency, role=demo.role
            )
    return agencies
