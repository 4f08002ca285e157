import signal
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError

# One request at a time per worker process (gunicorn's sync worker): measured with ten clients
# at once on the full-size company (bench/pages.py --threads), two workers × one thread
# served 22.6 requests a second with every page's p95 within 530–830 ms on one core, two
# workers × four threads 20.6 a second with p95 up to 2.5 s: threads of one process take
# turns holding Python's lock around every query, and a page of 50 queries waits for its
# turn 50 times. More processes, not threads, serve more people (--workers).
THREADS = 1
# A request longer than this is ended and its worker restarted (big exports, imports and
# backups run in the task worker, not in a request).
TIMEOUT_SECONDS = 120


class Command(BaseCommand):
    help = "Serve the app with gunicorn and run the background task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--threads", type=int, default=THREADS, help="threads per worker (default: 1)"
        )
        parser.add_argument("--no-worker", action="store_true", help="do not run the task worker")
        parser.add_argument(
            "--no-web",
            action="store_true",
            help="run only the task worker (and enqueue the scheduled chains): a unit of its own",
        )

    def handle(self, *args, bind, workers, threads, no_worker, no_web, **options):
        if no_web and no_worker:
            raise CommandError("--no-web and --no-worker leave nothing to run")
        python = sys.executable
        worker = None
        if not no_worker:
            from tracecode.backups.tasks import schedule_backup
            from tracecode.inbox.tasks import schedule_scan
            from tracecode.mail.tasks import schedule_fetch

            schedule_fetch()  # TRACECODE_MAIL_FETCH_MINUTES: the first fetch; it re-enqueues
            schedule_backup()  # TRACECODE_BACKUP_HOURS: the next backup; it re-enqueues
            schedule_scan(seconds=0)  # TRACECODE_INBOX_DIR: the first scan now; it re-enqueues
            worker = subprocess.Popen([python, "-m", "tracecode", "db_worker", "--verbosity", "0"])
        if no_web:
            signal.signal(signal.SIGTERM, lambda *_: worker.terminate())
            try:
                sys.exit(worker.wait())
            except KeyboardInterrupt:
                worker.terminate()
                sys.exit(worker.wait())
        server = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "tracecode.wsgi",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                str(TIMEOUT_SECONDS),
                "--access-logfile",
                "-",
            ]
        )
        self.stdout.write(f"Tracecode is serving on http://{bind} (Ctrl-C stops it)")
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            code = server.wait()
        except KeyboardInterrupt:
            server.terminate()
            code = server.wait()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait()
        sys.exit(code)
