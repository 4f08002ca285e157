"""Fixtures every test can use: the demo roles as users, signed-in clients, a browser.

Django is imported inside the fixtures only, so the pure coding-engine tests also run
without it.
"""

import os
import secrets
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls that the
# tests make beside it are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_addoption(parser):
    parser.addoption(
        "--s3",
        action="store_true",
        help="the file tests (S3_TESTS) keep their files in a real S3 server (rclone serve s3"
        " on loopback), each under a fresh prefix of a bucket, instead of a local folder;"
        " `scripts/test` runs the PostgreSQL pass so",
    )


# The tests of stored files (uploads, versions, downloads, folder .zip, `folders sync`, mail
# attachments, chat media, generated documents) that --s3 runs against the S3 server. Backups
# to and from buckets are tracecode/backups/tests/test_s3.py (always S3); the other backup
# tests are about a local folder (file rot in place, a backups folder inside the store).
S3_TESTS = ("tracecode/files/", "tracecode/mail/", "tracecode/sales/tests/test_documents.py")


def _keeps_files(item) -> bool:
    path = str(item.path.relative_to(item.config.rootpath))
    return path.startswith(S3_TESTS)


# The tests that take longest (10 s to 2 min each on two cores) start first, the longest
# first, so that no worker is left running one of them alone at the end of a pass while the
# other waits. The browser tests come after all others, the longest of them first:
# Playwright's sync API leaves an event loop running in the worker's thread, in which
# async_to_sync refuses to run (test_the_async_authenticate_is_throttled_too). The rest keep
# their order.
STARTED_FIRST = (
    "tests/test_sweep.py",
    "tests/test_fuzz.py",
    "tracecode/backups/tests/test_portable_move.py",
    "tracecode/backups/tests/test_drill.py",
    "tests/browser/test_enquiries.py",
    "test_demo.py",
    "tests/browser/test_order_story.py",
    "tests/browser/test_whole_path.py",
    "tests/test_two_servers.py",
    "tracecode/imports/tests/test_bulk_",
    "processes.py",
    "tracecode/accounts/tests/test_private_files.py",
    "tests/browser/test_reports.py",
    "tracecode/backups/tests/test_backup_under_load.py",
)


def pytest_collection_modifyitems(config, items):
    def rank(item) -> tuple[bool, int]:
        found = (n for n, part in enumerate(STARTED_FIRST) if part in item.nodeid)
        playwright = "browser" in item.keywords or "browser" in getattr(item, "fixturenames", ())
        return playwright, next(found, len(STARTED_FIRST))

    items.sort(key=rank)


@pytest.fixture(autouse=True, scope="session")
def _seeds_after_flush(request):
    """A test with real transactions ends with a flush, which also empties what the migrations
    seeded (the mail templates, the customer sheet's lists, the material classes). The flush
    sends post_migrate: the seeds go back in, as the tests after it expect the database."""
    if not request.config.pluginmanager.has_plugin("django"):
        yield
        return
    from django.db.models.signals import post_migrate

    post_migrate.connect(_reseed, dispatch_uid="tracecode-tests-reseed")
    yield
    post_migrate.disconnect(dispatch_uid="tracecode-tests-reseed")


def _reseed(sender, **kwargs):
    from django.apps import apps

    if sender.label == "mail":
        from tracecode.mail.defaults import seed

        seed(apps.get_model("mail", "MailTemplate"))
    elif sender.label == "customers":
        from tracecode.customers.lists import seed_app_lists

        seed_app_lists()
    elif sender.label == "registers":
        from tracecode.registers.classes import ensure

        ensure()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Each test leaves the database as it found it: rows that outlive a test's rollback or
    flush would turn up in whatever test runs next in that worker (a chat joined to a stale
    one, a code resolved to another test's customer). Named here, at the test that left them."""
    result = yield
    if nextitem is None:  # the session's database is gone with the last test; none follows
        return result
    if item.get_closest_marker("django_db") is None and not {"db", "transactional_db"} & set(
        getattr(item, "fixturenames", ())
    ):
        return result
    from django.apps import apps

    if not apps.ready:
        return result
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        left = [
            model._meta.label
            for model in (
                apps.get_model("accounts", "User"),
                apps.get_model("customers", "Customer"),
                apps.get_model("mail", "ChatImport"),
                apps.get_model("mail", "MailMessage"),
                apps.get_model("search", "Entry"),
            )
            if model.objects.exists()
        ]
        seeds = apps.get_model("mail", "MailTemplate").objects.filter(key="follow-up").exists()
    if left:
        pytest.fail(f"{item.nodeid} left rows behind in {', '.join(left)}", pytrace=False)
    if not seeds:
        pytest.fail(f"{item.nodeid} left the seeded mail templates gone", pytrace=False)
    return result


@pytest.fixture(autouse=True)
def _fresh_django_state(request):
    """Argon2 is right for people and slow for hundreds of test sign-ins."""
    if request.config.pluginmanager.has_plugin("django"):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        if request.config.getoption("s3") and _keeps_files(request.node):
            request.getfixturevalue("s3_storage")
        from django.utils import translation

        from tracecode.codes.services import forget_schemes

        forget_schemes()  # each test starts from the schemes in its own database
        # A request in Chinese leaves its language active in the thread: start each test
        # in English, whatever the test before it did.
        with translation.override("en"):
            yield
        return
    yield


def make_user(username: str, role: str, **extra):
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def alice(db):
    return make_user("alice", "sales", first_name="Alice", email="alice@reko.example")


@pytest.fixture
def bob(db):
    return make_user("bob", "sales", first_name="Bob", email="bob@reko.example")


@pytest.fixture
def manager(db):
    return make_user("mia", "manager", first_name="Mia")


@pytest.fixture
def viewer(db):
    return make_user("victor", "viewer", first_name="Victor")


@pytest.fixture
def administrator(db):
    return make_user("ada", "admin", first_name="Ada")


@pytest.fixture
def client_of(client):
    """`client_of(alice)`: a test client signed in as that user."""

    def signed_in(user):
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def token_of(db):
    """`token_of(alice)`: the Authorization header value of a new personal token."""
    from tracecode.accounts.models import ApiToken

    def header(user):
        return "Bearer " + ApiToken.issue(user, "test")[1]

    return header


@pytest.fixture(autouse=True, scope="session")
def _pdfs_rendered_once():
    """The same HTML renders to the same PDF, so WeasyPrint renders each distinct document once
    per run: the demo company, which a dozen tests load, renders the same 38 documents each
    time (0.3 s each, half of loading it). Kept as files in TRACECODE_TEST_PDF_MEMO (one folder
    for both passes and both workers of `scripts/test`), else for this process only. Only
    `HTML(string=…, base_url=…).write_pdf()` is kept: what `tracecode.core.pdf.render_pdf`
    does; anything else, and the first rendering of every document, is WeasyPrint's own."""
    try:
        import weasyprint
    except ImportError:
        yield
        return
    import contextlib
    import hashlib
    import tempfile
    from pathlib import Path

    folder = os.environ.get("TRACECODE_TEST_PDF_MEMO")
    kept = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="tracecode-pdf-memo-"))
    kept.mkdir(parents=True, exist_ok=True)
    original = weasyprint.HTML

    class RenderedOnce(original):
        def __init__(self, *args, string=None, base_url=None, **kwargs):
            self.memo_key = None
            if string is not None and not args and not kwargs:
                text = f"{base_url}\0{string}".encode()
                self.memo_key = hashlib.sha256(text).hexdigest()
            super().__init__(*args, string=string, base_url=base_url, **kwargs)

        def write_pdf(self, target=None, **options):
            if self.memo_key is None or target is not None or options:
                return super().write_pdf(target, **options)
            path = kept / f"{self.memo_key}.pdf"
            if path.exists():
                return path.read_bytes()
            pdf = super().write_pdf()
            partial = path.with_suffix(f".{os.getpid()}.part")
            with contextlib.suppress(OSError):  # a memo that cannot keep it fails no test
                partial.write_bytes(pdf)
                partial.replace(path)  # whole or not at all, whichever process gets there first
            return pdf

    weasyprint.HTML = RenderedOnce
    yield
    weasyprint.HTML = original
    if not folder:
        shutil.rmtree(kept, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("TRACECODE_CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("Debian's chromium is not installed: the test command installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """`sign_in(alice)`: sign in through the form, as a person does."""

    def as_user(user, password: str = PASSWORD):
        page.goto("/accounts/sign-in/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        # The form always answers with a new page (signed in, or the form again): wait until
        # it has loaded, so its scripts listen before the test types.
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return page

    return as_user


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 server (`rclone serve s3` on loopback) for the test session; see
    tracecode/testing/s3.py."""
    from tracecode.testing.s3 import S3Server

    server = S3Server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_bucket(s3_server):
    """One bucket for the session's tests (each keeps its files under a prefix of its own)."""
    return s3_server.bucket()


@pytest.fixture
def s3_storage(s3_server, s3_bucket, settings, monkeypatch):
    """Django's default storage in the test S3 server, under a fresh prefix of the session's
    bucket (as fresh as a new bucket, without one more request per test); yields the prefix."""
    prefix = f"{secrets.token_hex(6)}/files"
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage(s3_bucket, prefix)}
    for name, value in s3_server.environment().items():
        monkeypatch.setenv(name, value)
    yield prefix
