"""Is this customer already in the archive? Same email, mail domain, phone, website or a name
that differs only by case, punctuation or legal form ("Co., Ltd", "GmbH", "有限公司" …)."""

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Free mail providers: two customers writing from gmail.com are not the same company.
PUBLIC_MAIL_DOMAINS = _words(
    """
    gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.co.jp yahoo.fr yahoo.de yahoo.it
    yahoo.com.cn ymail.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.it
    outlook.com outlook.de outlook.fr live.com live.de live.fr live.it msn.com icloud.com
    me.com mac.com aol.com gmx.de gmx.net gmx.com web.de t-online.de freenet.de orange.fr
    free.fr laposte.net wanadoo.fr sfr.fr libero.it virgilio.it tiscali.it alice.it
    mail.ru yandex.ru yandex.com proton.me protonmail.com zoho.com mail.com qq.com foxmail.com
    163.com 126.com yeah.net sina.com sina.cn sohu.com aliyun.com 139.com 189.cn tom.com
    21cn.com naver.com daum.net hanmail.net rediffmail.com docomo.ne.jp ezweb.ne.jp
    """
)

# Legal forms and filler words left out when names are compared, after punctuation is gone.
LEGAL_WORDS = _words(
    """
    co company companies corp corporation inc incorporated llc llp lp ltd limited plc pty pte
    gmbh mbh ag kg kgaa ohg ug ev sa sas sarl sasu eurl sca spa srl snc sl slu bv nv cv oy oyj
    ab as asa aps kk gk yk jsc ojsc pjsc ooo zao sro spol sp zoo kft zrt nyrt doo ad bhd sdn
    tbk pt the and group holding holdings international intl industries industrial
    """
)
CHINESE_LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")
SIMILAR_ENOUGH = 0.88


def company_key(name: str) -> str:
    """The company name reduced to what tells companies apart: 'Nordwerk Automotive GmbH' and
    'NORDWERK AUTOMOTIVE G.m.b.H.' give the same key."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    for suffix in CHINESE_LEGAL_SUFFIXES:
        text = text.replace(suffix, " ")
    text = text.replace("&", " and ")
    text = re.sub(r"[.'’]", "", text)  # S.p.A. → spa, G.m.b.H. → gmbh
    text = re.sub(r"[^\w]+", " ", text)
    words = [w for w in text.split() if w not in LEGAL_WORDS]
    return " ".join(words)


def mail_domain(email: str) -> str:
    """The company domain of an address; empty for public mail providers."""
    _, at, domain = (email or "").strip().lower().rpartition("@")
    if not at or not domain or domain in PUBLIC_MAIL_DOMAINS:
        return ""
    return domain


def web_domain(url: str) -> str:
    url = (url or "").strip().lower()
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:  # "http://[": not an address, so like none
        return ""
    return host.removeprefix("www.")


def similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= SIMILAR_ENOUGH and matcher.ratio() >= SIMILAR_ENOUGH


@dataclass
class Duplicate:
    customer: object
    reasons: list[str] = field(default_factory=list)


def find_duplicates(
    user, *, company_name="", email="", phone="", website="", exclude_pk=None
) -> list[Duplicate]:
    """The customers `user` may see that look like the one being entered, with why.

    Only visible customers are named: the archive of other sales users stays confidential.
    """
    from .models import Contact, Customer

    customers = Customer.objects.visible_to(user)
    if exclude_pk is not None:
        customers = customers.exclude(pk=exclude_pk)
    found: dict[int, Duplicate] = {}

    def note(pks, reason):
        for pk in pks:
            found.setdefault(pk, Duplicate(customer=None)).reasons.append(str(reason))

    email = (email or "").strip().lower()
    if email:
        via_contacts = Contact.objects.filter(email__iexact=email).values("customer_id")
        note(
            customers.filter(Q(email__iexact=email) | Q(pk__in=via_contacts)).values_list(
                "pk", flat=True
            ),
            _("same email"),
        )
    domain = mail_domain(email)
    if domain:
        via_contacts = Contact.objects.filter(email__iendswith="@" + domain).values("customer_id")
        matches = customers.filter(Q(email__iendswith="@" + domain) | Q(pk__in=via_contacts))
        note(
            matches.exclude(pk__in=[pk for pk, d in found.items()]).values_list("pk", flat=True),
            _("same mail domain @%(domain)s") % {"domain": domain},
        )
    if phone:
        via_contacts = Contact.objects.filter(Q(phone=phone) | Q(whatsapp=phone))
        matches = customers.filter(
            Q(phone=phone) | Q(pk__in=via_contacts.values("customer_id"))
        ).values_list("pk", flat=True)
        note(matches, _("same phone"))
    site = web_domain(website)
    if site:
        matches = [
            pk
            for pk, url in customers.exclude(website="").values_list("pk", "website")
            if web_domain(url) == site
        ]
        note(matches, _("same website"))
    key = company_key(company_name)
    if len(key) >= 3:
        names = customers.exclude(name_key="").values_list("pk", "name_key")
        note([pk for pk, other in names if similar(key, other)], _("similar company name"))
    if not found:
        return []
    by_pk = customers.filter(pk__in=found).select_related("owner").in_bulk()
    result = []
    for pk, duplicate in found.items():
        if pk in by_pk:
            duplicate.customer = by_pk[pk]
            result.append(duplicate)
    return sorted(result, key=lambda d: d.customer.code)
