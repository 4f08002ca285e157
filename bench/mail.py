"""Benchmark of the mail import: a generated mbox imported, beside the stdlib merely parsing it.

    .venv/bin/python bench/mail.py [--messages 10000] [--database-url postgres://…]

The mbox has mixed charsets (UTF-8, GB2312, Big5, Shift_JIS, ISO-8859-1), 10% of the messages
with an attachment (half a one-page PDF, read for search; half a 20 kB JPEG), a registered
order code in half the subjects, and replies threading on them. Two figures, each measured
in its own process of the same run:
  parse   the standard library reading the mbox (mailbox.mbox, email.policy.default) and
          reading each message's subject and text body: the floor
  import  `tracecode mail import` of the same file: parse, link, store rows and files
Each prints messages/s and the process's peak memory (VmHWM). Target: import at least 30%
of the parse rate.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHARSETS = [
    ("utf-8", "Die Probe ist angekommen: Maße geprüft, 检验报告见附件。"),
    ("gb2312", "样品已经收到，请确认交货日期和包装要求。"),
    ("big5", "樣品已經收到，請確認交貨日期。"),
    ("shift_jis", "サンプルを受け取りました。納期を確認してください。"),
    ("iso-8859-1", "Les échantillons sont arrivés, merci de confirmer la livraison."),
]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()


def one_page_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def generate(path: Path, count: int, codes: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    pdf = one_page_pdf()
    with open(path, "wb") as out:
        for number in range(count):
            charset, text = CHARSETS[number % len(CHARSETS)]
            message = EmailMessage()
            code = rng.choice(codes) if codes and number % 2 == 0 else ""
            subject = f"[{code}] " if code else ""
            subject += f"Shipment {number}: {text[:12]}"
            message["Subject"] = subject
            message["From"] = f"buyer{number % 97}@customer{number % 13}.example"
            message["To"] = "sales@reko-parts.example"
            message["Date"] = format_datetime(
                __import__("datetime").datetime(2026, 1 + number % 12, 1 + number % 28, 9, 0)
            )
            message["Message-ID"] = f"<bench-{number}@reko.example>"
            if number % 2 == 1 and number > 1:
                message["In-Reply-To"] = f"<bench-{number - 1}@reko.example>"
            message.set_content(f"{text}\n\nline {number}\n" * 5, charset=charset)
            if number % 20 == 0:  # 5%: a drawing as a real (one-page) PDF
                message.add_attachment(
                    pdf, maintype="application", subtype="pdf", filename=f"drawing-{number}.pdf"
                )
            elif number % 10 == 5:  # 5%: a 20 kB photo
                message.add_attachment(
                    rng.randbytes(20_000), maintype="image", subtype="jpeg",
                    filename=f"photo-{number}.jpg",
                )  # fmt: skip
            raw = bytes(message).replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
            out.write(
                b"From bench@example Mon Jan  5 10:00:00 2026\n" + raw.rstrip(b"\n") + b"\n\n"
            )


def phase_parse(path: str) -> None:
    import email
    import email.policy
    import mailbox

    started = time.perf_counter()
    count = 0
    box = mailbox.mbox(
        path,
        factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default),
        create=False,
    )
    for message in box:
        _subject = message["subject"]
        body = message.get_body(("plain", "html"))
        _text = body.get_content() if body is not None else ""
        count += 1
    report(count, time.perf_counter() - started)


def phase_import(path: str) -> None:
    setup_django()
    from tracecode.codes.services import schemes
    from tracecode.mail import services

    schemes()
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        with cProfile.Profile() as profile:
            result = services.import_files([path])
        profile.dump_stats(os.environ["BENCH_PROFILE"])
    else:
        result = services.import_files([path])
    elapsed = time.perf_counter() - started
    if result.failed or result.imported == 0:
        print(f"# {result}", file=sys.stderr)
    report(result.imported, elapsed)


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(count: int, seconds: float) -> None:
    peak_mb = peak_memory_mb()
    print(f"{count} {seconds:.3f} {peak_mb:.1f}", flush=True)


def run_phase(phase: str, path: Path, env: dict) -> tuple[int, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", phase, str(path)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    count, seconds, peak = out.stdout.split()
    return int(count), float(seconds), float(peak)


def prepare(env: dict, count: int, path: Path) -> None:
    os.environ.update(env)
    setup_django()
    from django.core.management import call_command
    from django.db import transaction

    from tracecode.accounts.models import User
    from tracecode.codes.services import allocate, create_with_code
    from tracecode.customers.models import Customer

    call_command("migrate", verbosity=0)
    owner, _ = User.objects.get_or_create(username="bench", defaults={"role": "sales"})
    codes = []
    with transaction.atomic():
        for n in range(5):
            customer = create_with_code(
                Customer(company_name=f"Bench customer {n}", owner=owner), "customer"
            )
            for _p in range(4):
                project = allocate("project", parent=customer.code).code
                codes.append(allocate("order", parent=project, fields={"kind": "S"}).code)
    generate(path, count, codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--phase", choices=["parse", "import"], help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "parse":
        return phase_parse(args.path)
    if args.phase == "import":
        return phase_import(args.path)
    with tempfile.TemporaryDirectory(prefix="tracecode-bench-mail-") as folder:
        env = {
            **os.environ,
            "TRACECODE_DATA_DIR": folder,
            "DJANGO_SETTINGS_MODULE": "tracecode.settings",
            "TRACECODE_DATABASE_URL": args.database_url or f"sqlite:///{folder}/bench.sqlite3",
            "TRACECODE_LOG_LEVEL": "ERROR",
        }
        path = Path(folder) / "bench.mbox"
        prepare(env, args.messages, path)
        size = path.stat().st_size / 1e6
        engine = env["TRACECODE_DATABASE_URL"].split(":")[0]
        print(f"mbox: {args.messages} messages, {size:.1f} MB; database {engine}")
        parsed = run_phase("parse", path, env)
        imported = run_phase("import", path, env)
        print(f"{'':8} {'messages':>9} {'seconds':>8} {'msg/s':>8} {'peak MB':>8}")
        for name, (count, seconds, peak) in (("parse", parsed), ("import", imported)):
            print(f"{name:8} {count:>9} {seconds:>8.2f} {count / seconds:>8.0f} {peak:>8.1f}")
        ratio = (imported[0] / imported[1]) / (parsed[0] / parsed[1])
        verdict = "meets" if ratio >= 0.3 else "misses"
        print(f"import rate / parse-only rate = {ratio:.2f} ({verdict} the 0.30 target)")


if __name__ == "__main__":
    main()
