"""The daily digest, for cron or a systemd timer (docs/deploy.md): reminds the people responsible
for overdue measures and sends each person one e-mail of what is new and overdue."""

from django.core.management.base import BaseCommand

from prongsai.web.notify.tasks import send_daily_digest


class Command(BaseCommand):
    help = "Send the daily notification digest (overdue reminders and one e-mail per person)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="hand the work to the task worker instead of running it here"
        )

    def handle(self, *args, queue: bool = False, **options):
        if queue:
            result = send_daily_digest.enqueue()
            self.stdout.write(f"queued digest task {result.id}")
            return
        counts = send_daily_digest.call()
        self.stdout.write(f"overdue reminders: {counts['reminded']}, digests sent: {counts['sent']}")
