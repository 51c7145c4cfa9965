"""When two links point at the same article: canonical URLs and guids that identify a page.

Publishers put one article in several feeds under links that differ only in tracking
parameters (``?utm_source=rss&utm_medium=world``), letter case of the host, a default port
or a fragment. ``canonical_url`` removes those differences, so equal results mean the same
page. ``guid_key`` keeps only guids that can identify an article across feeds: a short
counter (``"42"``) is unique only inside its own feed and is not used.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, never which article it is. Names are
# compared in lower case; a name matching one of the prefixes is dropped too.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "gclsrc",
        "dclid",  # Google Display
        "gbraid",
        "wbraid",
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # X / Twitter
        "ttclid",  # TikTok
        "li_fat_id",  # LinkedIn
        "igshid",  # Instagram
        "mc_cid",  # Mailchimp campaign
        "mc_eid",  # Mailchimp subscriber
        "_hsenc",  # HubSpot
        "_hsmi",
        "mkt_tok",  # Marketo
        "oly_anon_id",  # Omeda
        "oly_enc_id",
        "vero_id",  # Vero
        "rb_clickid",
        "s_cid",  # Adobe
        "cmpid",
        "ocid",  # Microsoft news
        "ns_source",  # comScore
        "ns_mchannel",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "at_medium",  # AT Internet (BBC and others)
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "ref_src",
        "ref_url",
        "spm",  # Alibaba
        "smid",  # New York Times share id
        "sr_share",
        "rss",
        "rssfeed",
        "cmp",
        "xtor",  # AT Internet (French publishers)
        "__twitter_impression",
        "wt_mc",  # Webtrends
        "wt.mc_id",
        "pk_campaign",  # Matomo / Piwik
        "pk_kwd",
        "pk_source",
        "pk_medium",
        "mtm_campaign",
        "mtm_source",
        "mtm_medium",
        "mtm_content",
        "mtm_keyword",
        "ga_source",
        "ga_medium",
        "ga_campaign",
        "_ga",
        "_gl",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "hsa_", "pk_", "mtm_")

_DEFAULT_PORTS = {"http": "80", "https": "443"}
_MIN_OPAQUE_GUID = 20  # an opaque guid this long is taken as unique beyond its feed


def is_tracking_param(name: str) -> bool:
    """True when a query parameter only tracks the click (utm_*, fbclid, gclid, mc_cid, …)."""
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonical_url(url: str | None) -> str | None:
    """The link with tracking parameters, the fragment, case and default-port noise removed.

    Only http(s) links have a canonical form; anything else (a ``file:`` or ``mailto:``
    link, text that is no URL) gives None, so it never makes two articles one.
    ``http`` and ``https`` are the same page; so are ``www.`` and the bare host. The
    remaining query parameters keep their values and are sorted, so their order does
    not matter. A path keeps its case (servers tell ``/A`` from ``/a``).
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if port is not None and str(port) != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    )
    # one form for both schemes: feeds link the same article over http and https
    return urlunsplit(("https", host, path, urlencode(query), ""))


def guid_key(guid: str | None) -> str | None:
    """The guid when it can name an article across feeds, else None.

    A guid that is an http(s) URL is compared in its canonical form. Any other guid
    counts when it is 20 characters or more without spaces (a UUID, a ``tag:`` URI with
    its domain, a long hash): short ones (``"1234"``, ``"urn:x:7"``) are only unique
    within one feed, and two unrelated feeds numbering their items alike must not make
    their articles one.
    """
    if not guid:
        return None
    text = guid.strip()
    if not text:
        return None
    if text.lower().startswith(("http://", "https://")):
        url = canonical_url(text)
        return f"url:{url}" if url else None
    if len(text) >= _MIN_OPAQUE_GUID and not any(c.isspace() for c in text):
        return f"id:{text}"
    return None


def key_hash(key: str) -> int:
    """A copy key (canonical URL, guid key) as a signed 64-bit integer, what the store keeps:
    two different keys share one with a chance of about 1 in 10**19 per pair. Stored, so
    fixed. The parse workers work it out with the sketch (``StorySketch.url_hash``)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
