"""The ten material classes of seed 001 (物料代码规则), in English and Chinese; an administrator
adds more on the administration site. `seed()` adds the missing ones, never twice."""

CLASSES = [
    ("01", "Raw material", "原材料"),
    ("02", "Electronic components", "电子器件"),
    ("03", "Custom-made parts", "订制品"),
    ("04", "Outsourced processing", "委外加工"),
    ("05", "Finished goods", "成品"),
    ("06", "Semi-finished goods", "半成品"),
    ("07", "Slow-moving stock", "呆滞料"),
    ("08", "Customer-supplied material", "客供物料"),
    ("09", "Jigs and fixtures", "治具"),
    ("10", "Other material", "其他物料"),
]


def seed(model) -> None:
    """Add the seed's classes to `model` (a migration's or the app's) when it has none."""
    if model.objects.exists():
        return
    model.objects.bulk_create(
        [model(code=code, name=name, name_zh=name_zh) for code, name, name_zh in CLASSES],
        ignore_conflicts=True,
    )


def ensure() -> None:
    """The classes exist: a database emptied by a test's flush starts from the seed again."""
    from .models import MaterialClass

    seed(MaterialClass)
