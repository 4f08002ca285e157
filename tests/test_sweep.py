"""The two-user sweep: what alice keeps is hers alone, whatever address asks for it.

Alice gets one record of every kind, each marked with a secret (tests/world.py). Then bob
(another sales user), victor (a viewer nothing is shared with) and an anonymous visitor ask
every operation of the published API (/api/openapi.json) and every URL pattern of the web
app (Django's URL resolver, admin included), filled with alice's codes and ids, reading and
writing. Every answer must be a refusal that says no more than for a record that does not
exist (404, 403 or 405; 401 or the sign-in page when anonymous), never a server error, and
no answer may carry one of alice's secrets; a write that changes one of alice's records is
named; afterwards her records are as they were.

Values come from alice's records; a value counts for a pattern when it reaches a record for
alice herself (or, for administrators' pages, an administrator), so the sweep proves it asked
about something real. A parameter the sweep has no values for, or a pattern no value
reaches, fails it: a new endpoint is swept the day it is added, or listed below with why not.
"""

import contextlib
import itertools
import json
import logging
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tracecode.accounts.models import ApiToken
from tracecode.mail.tests.factories import mail_bytes

from . import world as alices
from .openapi import example, operations, published

pytestmark = pytest.mark.django_db

# Patterns and operations the sweep does not ask, and why.
NOT_SWEPT = {
    "accounts:sign_out": "signs the sweeping user out; it shows and keeps no record",
    "admin:logout": "signs the sweeping user out; it shows and keeps no record",
}
# Pages anyone may open: they show no customer data.
PUBLIC = {
    "web:healthz": "the load balancer's check: database up or down",
    "accounts:sign_in": "the sign-in form",
    "admin:login": "the admin site's sign-in form",
    "set_language": "stores the chosen language in a cookie",
}
# Old addresses that send every visitor on to the new one (swept itself), saying nothing.
MOVED = {
    "sales:sales/everything/<str:code>/": "the Everything page moved to /everything/<code>/",
    "customers:export": "the customers' export moved to /imports/customers/export.<fmt>",
}
# Answer the same for any value, so a value of alice's tells nothing; tested on their own.
SAME_FOR_ANY_VALUE = {
    "GET /api/codes/explain/{code}": "explains any code from its form; the registry only for "
    "codes the caller may see (codes/tests/test_codes_api.py)",
}
# Leaks the sweep finds that are not fixed yet, each with why: none. A leak listed here must
# still be found (once fixed, the sweep fails until its line is removed).
KNOWN_LEAKS: dict[str, str] = {}

# Parameters that name a record; the others choose among fixed words (kind, action, fmt …).
IDENTIFIERS = {"code", "contact_code", "number", "pk", "mail_id", "batch_id", "document_id",
               "lot_id", "file_id", "object_id", "content_type_id", "id", "chat_id",
               "message_id", "enquiry_id", "rule_id", "backup_id", "file_pk",
               "key", "import_id"}  # fmt: skip
NOBODYS = {"code": "ZZ9999", "contact_code": "ZZ9999-C01", "number": "ZZ9999-1-S1"}
REFUSED = {403, 404, 405}
OTHERS = ("bob", "victor", "anonymous")
SIGN_IN = reverse(settings.LOGIN_URL)
ADMIN_SIGN_IN = reverse("admin:login")


@dataclass
class Answer:
    status: int
    body: bytes
    location: str
    error_code: str | None

    @property
    def refused(self) -> bool:
        return self.status in (401, *REFUSED) or self.to_sign_in

    @property
    def to_sign_in(self) -> bool:
        return self.status == 302 and self.location.startswith((SIGN_IN, ADMIN_SIGN_IN))


@dataclass
class Target:
    """An API operation or a URL pattern, as the sweep asks it."""

    label: str  # "GET /api/customers/{code}" or "customers:detail"
    route: str  # with {name} where a value goes
    params: dict[str, str]  # name → the regex a value must match
    methods: list[str]
    inputs: Callable[[str], dict]  # method → what to send besides the address
    admin: bool = False
    public: bool = False
    identifiers: list[str] = field(init=False)

    def __post_init__(self):
        self.identifiers = [p for p in self.params if p in IDENTIFIERS]

    def url(self, values: dict) -> str:
        return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), self.route)


class Sweep:
    def __init__(self, world, document, users: dict, alice, on_commit):
        self.world = world
        self.on_commit = on_commit  # runs what a request leaves for after its commit
        self.document = document
        self.users = users  # name → (client, headers)
        self.alice = alice
        self.state = alices.snapshot(alice)
        self.staff_state = alices.staff_wide_rows(world)
        self.tails = world.tails()
        self.findings: list[str] = []
        self.requests = 0
        self._nobodys: dict = {}

    # Asking -------------------------------------------------------------------------------

    def ask(self, who: str, method: str, url: str, *, query=None, body=None, json_body=None):
        client, headers = self.users[who]
        self.requests += 1
        others = who in OTHERS
        with self.on_commit(execute=others), transaction.atomic():
            if json_body is not None:
                response = client.generic(
                    method.upper(), url, json.dumps(json_body), "application/json",
                    headers=headers,
                )  # fmt: skip
            elif method == "get":
                response = client.get(url, query or {}, headers=headers)
            else:
                response = getattr(client, method)(url, body or {}, headers=headers)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # keeps the connection usable on PostgreSQL
        content = b"".join(response.streaming_content) if response.streaming else response.content
        error_code = None
        if response.get("Content-Type", "").startswith("application/json"):
            with contextlib.suppress(ValueError, AttributeError):
                error_code = (json.loads(content).get("error") or {}).get("code")
        answer = Answer(response.status_code, content, response.get("Location", ""), error_code)
        if others and method != "get" and not answer.refused:
            self.note_changes(f"{who} {method.upper()} {url}")
        return answer

    def note_changes(self, what: str) -> None:
        """After another user's write that was not refused: did one of alice's records change?"""
        now = alices.snapshot(self.alice)
        changed = [kind for kind, rows in now.items() if rows != self.state[kind]]
        if changed:
            self.findings.append(f"{what} changed alice's records: {', '.join(changed)}")
            self.state = now

    def reaching(self, target: Target, method: str, urls: list[str]) -> dict[str, int]:
        """Each address with alice's answer, or an administrator's where no address reaches a
        record for her; asked as they are, then rolled back, the stored files too."""
        for who in ("alice", "administrator"):
            statuses = {}
            for url in urls:
                with transaction.atomic(), files_kept(method):
                    answer = self.ask(who, method, url, **target.inputs(method))
                    transaction.set_rollback(True)
                if answer.status >= 500:
                    self.findings.append(f"{who} {method.upper()} {url}: {answer.status}")
                statuses[url] = answer.status
            if any(status != 404 for status in statuses.values()):
                break
        return statuses

    def nobodys(self, who: str, target: Target, method: str, values: dict) -> Answer:
        """The answer for the same address naming a record nobody has."""
        url = target.url({p: self.nobody(p, v) for p, v in values.items()})
        if (who, method, url) not in self._nobodys:
            self._nobodys[who, method, url] = self.ask(who, method, url, **target.inputs(method))
        return self._nobodys[who, method, url]

    @staticmethod
    def nobody(name: str, value):
        if name not in IDENTIFIERS:
            return value
        return 999999 if str(value).isdigit() else NOBODYS.get(name, "ZZ9999")

    # Judging ------------------------------------------------------------------------------

    def judge(self, who: str, what: str, answer: Answer, nobodys: Answer | None) -> None:
        if answer.status >= 500:
            self.findings.append(f"{who} {what}: server error {answer.status}")
        leaked = [tail.decode() for tail in self.tails if tail in answer.body]
        if leaked:
            self.findings.append(f"{who} {what}: shows alice's secrets {leaked}")
        if who == "anonymous":
            if not answer.refused:
                self.findings.append(f"anonymous {what}: {answer.status} {answer.location}")
            return
        if nobodys is None:
            return
        if not answer.refused:
            self.findings.append(f"{who} {what}: {answer.status} for alice's record")
        if (answer.status, answer.error_code) != (nobodys.status, nobodys.error_code):
            self.findings.append(
                f"{who} {what}: {answer.status} {answer.error_code or ''} for alice's record, "
                f"{nobodys.status} {nobodys.error_code or ''} for none: it tells it exists"
            )

    def sweep_moved(self, target: Target) -> None:
        """Every visitor, signed in or not, is sent to the same new address, which ends as
        the old one does (its value, its file name) and is swept itself; nothing else."""
        choices = [self.world.values[name] for name in target.params]
        for combo in itertools.product(*choices):
            url = target.url(dict(zip(target.params, combo, strict=True)))
            tail = url.rstrip("/").rsplit("/", 1)[-1]
            locations = set()
            for who in OTHERS:
                answer = self.ask(who, "get", url)
                locations.add(answer.location)
                moved = answer.status in (301, 302) and not answer.to_sign_in
                path = urlsplit(answer.location).path
                if not moved or path.rstrip("/").rsplit("/", 1)[-1] != tail or answer.body:
                    self.findings.append(f"{who} GET {url}: {answer.status} {answer.location}")
            if len(locations) > 1:
                self.findings.append(f"GET {url}: sent on to {sorted(locations)}")

    def staff_wide(self, values: dict) -> bool:
        """Whether the address names a record every member of staff reads (a material, a
        supplier), whose existence is no secret."""
        return any(str(v) in self.world.staff_wide for v in values.values())

    def judge_staff_wide(self, who: str, what: str, method: str, answer: Answer) -> None:
        """Another user may read it (and print its label); changing it is for those who keep
        the registers."""
        self.judge(who, what, answer, None)
        now = alices.staff_wide_rows(self.world)
        if now != self.staff_state:
            self.findings.append(f"{who} {what}: {answer.status}, changed a staff-wide record")
            self.staff_state = now

    # Sweeping -----------------------------------------------------------------------------

    def sweep(self, target: Target) -> None:
        if target.label in NOT_SWEPT:
            return
        if target.label in MOVED:
            self.sweep_moved(target)
            return
        choices = []
        for name, regex in target.params.items():
            if name not in self.world.values:
                self.findings.append(f"{target.label}: no value for {name!r}: give the sweep one")
                return
            choices.append([v for v in self.world.values[name] if re.fullmatch(regex, str(v))])
        combos = [dict(zip(target.params, c, strict=True)) for c in itertools.product(*choices)]
        if not combos:
            self.findings.append(f"{target.label}: no value of alice's fits {target.params}")
            return
        compare = bool(target.identifiers) and target.label not in SAME_FOR_ANY_VALUE
        statuses: dict[str, int] = {}
        for method in target.methods:
            asked = combos
            if target.admin:
                asked = combos[:1]  # the whole admin site is behind one gate
            elif target.identifiers:
                urls = [target.url(c) for c in combos]
                if not statuses or 405 in statuses.values():  # what GET told holds for POST
                    statuses = self.reaching(target, method, urls)
                asked = [c for c in combos if statuses[target.url(c)] != 404]
                if not asked:
                    self.findings.append(f"{target.label} {method.upper()}: no value reaches a "
                                         f"record, not even for alice: {statuses}")  # fmt: skip
                    continue
            for who in OTHERS:
                if target.public and who == "anonymous":
                    continue
                for values in asked:
                    url = target.url(values)
                    answer = self.ask(who, method, url, **target.inputs(method))
                    what = f"{method.upper()} {url}"
                    if who != "anonymous" and self.staff_wide(values):
                        self.judge_staff_wide(who, what, method, answer)
                        continue
                    nobodys = None
                    if compare and who != "anonymous":
                        nobodys = self.nobodys(who, target, method, values)
                    self.judge(who, what, answer, nobodys)

    # What to send -------------------------------------------------------------------------

    def fill(self, name: str, node: dict):
        codes = self.world.codes
        if node.get("format") == "binary":
            return self.upload(name)
        if node.get("type") == "object":
            return None  # `project` of an enquiry's intake: the project's fields, not its code
        return {
            "code": codes["customer"], "customer": codes["customer"], "parent": codes["customer"],
            "project": codes["project"], "version": 1, "kind": "sample", "status": "accepted",
            "scheme": "customer", "to": "buyer@example.com", "content_base64": "c3dlZXA=",
            "q": alices.PREFIX, "shared_with": [], "next_serial": 1,
            # a mail named in a body (a template filled in for a reply) is one of hers: the
            # schema's example, 1, is another test's mail once the database's counters moved
            "mail": self.world.values["mail_id"][0],
        }.get(name)  # fmt: skip

    def form_fill(self, name: str, node: dict):
        """A form upload: its files, its other fields as left (a chat picks no code)."""
        if node.get("format") == "binary":
            return self.upload(name)
        if node.get("type") in ("object", "array") or "properties" in node:
            return None
        return node.get("default", "")

    def upload(self, name: str):
        """A file that mentions alice's order: a mail to import, or a WhatsApp chat."""
        order = self.world.codes["order"]
        if name == "files":
            return SimpleUploadedFile("sweep.eml", mail_bytes(subject=f"[{order}] sweep"))
        return SimpleUploadedFile(
            "chat.txt", f"1/5/26, 9:05 AM - Bob: news on {order}?\n".encode(), "text/plain"
        )

    def page_inputs(self, method: str) -> dict:
        codes = self.world.codes
        if method == "get":
            return {"query": {"q": alices.PREFIX, "code": codes["customer"],
                              "customer": codes["customer"], "company_name": "Nordwerk",
                              "email": "einkauf@nordwerk-sweep.example"}}  # fmt: skip
        return {"body": {
            "code": codes["customer"], "customer": codes["customer"], "project": codes["project"],
            "company_name": "Sweep GmbH", "country": "DE", "name": "Sweep", "summary": "sweep",
            "channel": "call", "direction": "out", "status": "accepted", "kind": "PI",
            "amount": "1", "content": "sweep", "version": "1", "whole_thread": "on",
            "subject": "sweep", "body": "sweep", "to": "buyer@example.com",
            "email": "einkauf@nordwerk-sweep.example", "document_type": "Other",
            "files": self.upload("files"), "file": self.upload("file"),
        }}  # fmt: skip

    def api_inputs(self, operation) -> Callable[[str], dict]:
        query = {p["name"]: value for p in operation.query_params
                 if (value := self.fill(p["name"], p["schema"])) is not None}  # fmt: skip

        def inputs(method: str) -> dict:
            if method == "get":
                return {"query": query}
            if operation.body is None:
                return {} if method == "delete" else {"json_body": {}}
            content_type, schema = operation.body
            value = example(self.document, schema, self.fill)
            if content_type == "application/json":
                return {"json_body": value}
            return {"body": example(self.document, schema, self.form_fill)}

        return inputs

    # The two kinds of target --------------------------------------------------------------

    def api_targets(self) -> list[Target]:
        targets = []
        for operation in operations(self.document):
            params = {
                p["name"]: r"[0-9]+" if p["schema"].get("type") == "integer" else r"[^/]+"
                for p in operation.spec.get("parameters", [])
                if p["in"] == "path"
            }
            targets.append(Target(str(operation), operation.path, params, [operation.method],
                                  self.api_inputs(operation)))  # fmt: skip
        return targets

    def page_targets(self) -> list[Target]:
        return [
            Target(
                name,
                "/" + template(route),
                params,
                ["get", "post"],
                self.page_inputs,
                admin=route.startswith("admin/"),
                public=name in PUBLIC,
            )  # fmt: skip
            for route, name, params in patterns()
            if not route.startswith("api/")  # the API is swept by its published schema
        ]


@contextlib.contextmanager
def files_kept(method: str):
    """The stored files as they were before a write that is rolled back."""
    if method == "get":
        yield
        return
    root = settings.MEDIA_ROOT
    kept = root.with_name("kept")
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(root, kept)
    try:
        yield
    finally:
        shutil.rmtree(root)
        kept.rename(root)


def patterns(resolvers=None, prefix="", namespace=""):
    """(route, name, {parameter: regex}) of every URL pattern, admin included."""
    for item in get_resolver().url_patterns if resolvers is None else resolvers:
        route = prefix + str(item.pattern).lstrip("^").rstrip("$")
        if isinstance(item, URLResolver):
            inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from patterns(item.url_patterns, route, inner)
        elif isinstance(item, URLPattern):
            yield route, f"{namespace}{item.name or route}", parameters(item.pattern)


def parameters(pattern) -> dict[str, str]:
    """Each parameter of a pattern with the regex its value must match."""
    converters = getattr(pattern, "converters", None)
    if converters:
        return {name: converter.regex for name, converter in converters.items()}
    return dict(re.findall(r"\(\?P<(\w+)>([^)]*)\)", pattern.regex.pattern))


def template(route: str) -> str:
    """`orders/<str:code>/` or `(?P<app_label>a|b)/` → `orders/{code}/`, `{app_label}/`."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)


@pytest.fixture
def sweep(
    settings, tmp_path, caplog, django_capture_on_commit_callbacks, alice, bob, viewer,
    administrator, client,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    for logger in ("django.request", "django.security"):  # thousands of refusals, as meant
        caplog.set_level(logging.CRITICAL, logger=logger)
    world = alices.build(alice)
    users = {}
    for name, user in [("alice", alice), ("bob", bob), ("victor", viewer),
                       ("administrator", administrator), ("anonymous", None)]:  # fmt: skip
        browser = Client(raise_request_exception=False)
        headers = {}
        if user is not None:
            browser.force_login(user)
            headers = {"Authorization": "Bearer " + ApiToken.issue(user, "sweep")[1]}
        users[name] = (browser, headers)
    return Sweep(world, published(client), users, alice, django_capture_on_commit_callbacks)


def test_nobody_else_reaches_anything_of_alices(sweep, alice):
    before = alices.snapshot(alice)
    for target in [*sweep.api_targets(), *sweep.page_targets()]:
        sweep.sweep(target)
    after = alices.snapshot(alice)
    changed = [kind for kind in before if before[kind] != after[kind]]
    if changed and not any("changed alice's records" in f for f in sweep.findings):
        sweep.findings.append(f"alice's records changed: {', '.join(changed)}")
    print(f"\nsweep: {sweep.requests} requests")
    known = {leak: [f for f in sweep.findings if f.startswith(leak)] for leak in KNOWN_LEAKS}
    fixed = [leak for leak, found in known.items() if not found]
    assert not fixed, f"no longer found: remove from KNOWN_LEAKS {fixed}"
    new = [f for f in sweep.findings if not any(f.startswith(leak) for leak in KNOWN_LEAKS)]
    assert not new, "\n".join(new)


@pytest.mark.parametrize("address", ["/api/reports/pareto", "/reports/pareto/"])
def test_a_report_shows_alices_customer_to_her_and_to_nobody_else(sweep, address):
    """What the sweep's reports prove is real: her customer is in her own report."""
    customer = sweep.world.secrets["customer"][-10:].encode()
    assert customer in sweep.ask("alice", "get", address).body
    for who in ("bob", "victor"):
        answer = sweep.ask(who, "get", address)
        assert answer.status == 200 and customer not in answer.body, who
