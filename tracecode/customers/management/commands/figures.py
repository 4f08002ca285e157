from django.core.management.base import BaseCommand
from django.utils import timezone

from tracecode.customers import standing
from tracecode.customers.models import ClassRanking, Customer


class Command(BaseCommand):
    help = (
        "Recompute every customer's kept figures (order value of the last 12 months, "
        "confirmed orders, last contact, contacts counted, balances) and rank the A/B/C "
        "classes: after loading data, or daily from cron (otherwise the first page of the day "
        "ranks and counts them)."
    )

    def handle(self, *args, **options):
        started = timezone.now()
        standing.refresh_all()
        ranking = ClassRanking.objects.get(pk=1)
        counts = {k: Customer.objects.filter(computed_class=k).count() for k in ("A", "B", "C")}
        seconds = (timezone.now() - started).total_seconds()
        at = timezone.localtime(ranking.ranked_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(
            f"{Customer.objects.count()} customers, classes as of {at}: "
            f"A {counts['A']}, B {counts['B']}, C {counts['C']} ({seconds:.1f} s)"
        )
