"""`tracecode surveys`: mail the satisfaction surveys that are due, and the reminders.

Run it daily (cron or a systemd timer). Orders shipped TRACECODE_SURVEY_DAYS_AFTER days ago
get a survey; one unanswered after TRACECODE_SURVEY_REMIND_DAYS gets one reminder.
"""

from django.core.management.base import BaseCommand

from tracecode.care import surveys


class Command(BaseCommand):
    help = "Mail the satisfaction surveys that are due, and the reminders."

    def handle(self, *args, **options):
        sent, reminded = surveys.run()
        self.stdout.write(f"{sent} surveys sent, {reminded} reminders sent")
