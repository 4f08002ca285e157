"""The values the lists of the customer sheet start with (SPEC §3), in English and Chinese.
Administrators extend them in the admin site; `seed()` adds what is missing, never twice."""

INDUSTRIES = [
    ("automotive", "Automotive", "汽车"),
    ("medical", "Medical devices", "医疗器械"),
    ("aerospace", "Aerospace", "航空航天"),
    ("electronics", "Electronics and electrical", "电子电气"),
    ("machinery", "Industrial machinery", "工业机械"),
    ("energy", "Energy", "能源"),
    ("rail", "Rail", "轨道交通"),
    ("marine", "Marine", "船舶"),
    ("telecom", "Telecommunications", "通信"),
    ("consumer", "Consumer goods", "消费品"),
    ("other", "Other", "其他"),
]
SOURCES = [
    ("platform", "Inquiry platform", "询盘平台"),
    ("website", "Website", "官网"),
    ("trade-show", "Trade show", "展会"),
    ("referral", "Referral", "转介绍"),
    ("outreach", "Our own outreach", "主动开发"),
    ("social", "Social media", "社交媒体"),
    ("other", "Other", "其他"),
]
BACKGROUNDS = [
    ("brand-owner", "Brand owner", "品牌商"),
    ("oem", "OEM / Tier 1 supplier", "整机厂 / 一级供应商"),
    ("contract-mfr", "Contract manufacturer", "代工厂"),
    ("trading", "Trading company", "贸易公司"),
    ("distributor", "Distributor", "经销商"),
    ("design-house", "Engineering / design office", "设计公司"),
    ("research", "Research institute or university", "科研院所 / 高校"),
    ("start-up", "Start-up", "初创企业"),
]
STATUSES = [
    ("following-up", "Following up", "跟进中"),
    ("order-placed", "Order placed", "已下单"),
    ("paused", "Paused", "暂停"),
    ("lost-contact", "Lost contact", "失联"),
]


LISTS = {
    "Industry": INDUSTRIES,
    "CustomerSource": SOURCES,
    "Background": BACKGROUNDS,
    "BusinessStatus": STATUSES,
}


def seed(get_model) -> None:
    """Add the missing entries; `get_model(name)` gives the model (a migration's or the app's)."""
    for model_name, rows in LISTS.items():
        model = get_model(model_name)
        for position, (code, name, name_zh) in enumerate(rows, start=1):
            model.objects.get_or_create(
                code=code, defaults={"name": name, "name_zh": name_zh, "position": position * 10}
            )


def seed_app_lists() -> None:
    from django.apps import apps

    seed(lambda name: apps.get_model("customers", name))
