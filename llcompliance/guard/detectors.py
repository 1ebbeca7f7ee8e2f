"""Pure text detectors for UK personal data: postcodes, phones, e-mail, NI/NHS numbers, DOBs."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from llcompliance.adapters.lazyregex import lazy
from llcompliance.errors import ConfigError
from llcompliance.guard import names

if TYPE_CHECKING:
    from llcompliance.adapters.saferegex import SafePattern

ERROR = "error"
WARNING = "warning"

RULES: dict[str, str] = {
    "postcode": "UK postcode (BS 7666 format, letter restrictions applied)",
    "postcode-partial": "part of a UK postcode (outward code and sector) next to address words",
    "phone": "UK phone number (landline, mobile, 03/08/09), national or +44 form",
    "email": "e-mail address that is not the service's own or a reserved example domain",
    "ni-number": "National Insurance number (HMRC prefix rules)",
    "nhs-number": "NHS, CHI or H&C number: valid checksum and an allocated range or a context word",
    "date-of-birth": "full date next to a date-of-birth word (DOB, born, aged, ...), any age",
    "case-reference": "case, crime, Marac or URN reference, or a pattern the service configured",
    names.RULE: names.DESCRIPTION,
    "allow-marker": "'llcompliance: allow' marker without a reason or naming an unknown rule",
}

SEVERITY: dict[str, str] = {rule: ERROR for rule in RULES} | {"postcode-partial": WARNING}

# Rules that an inline marker may allow (the marker rule itself cannot be allowed).
ALLOWABLE_RULES: frozenset[str] = frozenset(RULES) - {"allow-marker"}

_MARKER_HINT = (
    "or, if it is genuinely not personal data, add 'llcompliance: allow {rule} — <reason>' "
    "on the line"
)

MESSAGES: dict[str, str] = {
    "postcode": (
        "looks like a UK postcode; evidence must not contain addresses: remove it, or if it is the "
        "service's own published address add it to scan.allow.postcodes in llcompliance.yaml"
    ),
    "postcode-partial": (
        "looks like part of a postcode next to address words; a partial postcode can narrow down "
        "where someone lives: remove it, " + _MARKER_HINT.format(rule="postcode-partial")
    ),
    "phone": (
        "looks like a UK phone number; evidence must not contain anyone's personal number: remove "
        "it, or if it is the service's own published number add it to scan.allow.phones in "
        "llcompliance.yaml"
    ),
    "email": (
        "looks like an e-mail address: remove it, or if it is the service's own published address "
        "add it to scan.allow.emails (or its domain to scan.allow.email_domains) in "
        "llcompliance.yaml"
    ),
    "ni-number": (
        "looks like a National Insurance number: remove it; templates and examples should use the "
        "placeholder QQ 12 34 56 A"
    ),
    "nhs-number": (
        "looks like an NHS, CHI or H&C number: remove it; examples should use a number starting 999"
    ),
    "date-of-birth": (
        "looks like a date of birth; evidence must not contain anyone's date of birth, a child's "
        "included: remove it, or give an age band instead"
    ),
    "case-reference": (
        "looks like a case, crime or Marac reference; keep case references in the case system, not "
        "in evidence: remove it, " + _MARKER_HINT.format(rule="case-reference")
    ),
    names.RULE: (
        "looks like the name of a survivor, child or perpetrator; evidence must not name the people "
        "a service supports or the people who harm them: remove it or use a role ('the client', "
        "'her son'), " + _MARKER_HINT.format(rule=names.RULE)
    ),
}

_NO_REASON = (
    "this 'llcompliance: allow' marker has no reason, so it allows nothing: add one after a dash, "
    "e.g. 'llcompliance: allow phone — our published out-of-hours line'"
)
_NO_RULE = (
    "this 'llcompliance: allow' marker names no rule, so it allows nothing: name one or more of "
    + ", ".join(sorted(ALLOWABLE_RULES))
)
# The unknown name is not echoed: it could be the very value someone tried to allow.
_UNKNOWN_RULE = (
    "this 'llcompliance: allow' marker names a rule llcompliance does not know: use one or more of "
    + ", ".join(sorted(ALLOWABLE_RULES))
)


class Allowlist(NamedTuple):
    """The service's own published contact details, which are not personal data."""

    phones: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    email_domains: frozenset[str] = frozenset()
    postcodes: frozenset[str] = frozenset()


class ScanRules(NamedTuple):
    """What to look for: the allowlist, the service's case-reference patterns and disabled rules."""

    allowlist: Allowlist = Allowlist()
    case_reference_patterns: tuple[str, ...] = ()
    disabled_rules: frozenset[str] = frozenset()


NOTHING_ALLOWED = Allowlist()
NO_RULES = ScanRules()  # the defaults: nothing allowed, nothing disabled


class Match(NamedTuple):
    """One finding in a text; `masked` never holds the whole value."""

    rule: str
    severity: str
    line: int
    column: int
    masked: str
    message: str


class ScanResult(NamedTuple):
    """Findings, and the findings an inline marker allowed (for the caller's summary)."""

    matches: tuple[Match, ...]
    allowed: tuple[Match, ...]


class _Hit(NamedTuple):
    rule: str
    start: int
    end: int
    masked: str


# --------------------------------------------------------------------------------------------------
# Masking


def mask(value: str, *, keep_end: bool = True) -> str:
    """Mask a value, keeping its shape and at most a third of its letters and digits."""
    if "@" in value:
        return _mask_email(value)
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    keep = len(positions) // 3
    head = (keep + 1) // 2 if keep_end else keep
    chars = list(value)
    for i in positions[head : len(positions) - (keep - head)]:
        chars[i] = "*"
    return "".join(chars)


def _mask_email(value: str) -> str:
    local, _, domain = value.rpartition("@")
    labels = domain.split(".")
    # Keep the public suffix ("org", "co.uk"): it says little about the person.
    suffix_len = 2 if len(labels) >= 3 and len(labels[-2]) <= 3 else 1
    suffix = ".".join(labels[-suffix_len:]) if len(labels) > suffix_len else ""
    name = labels[0]
    head = local[0] if len(local) >= 4 else ""
    dom = name[0] if len(name) >= 4 else ""
    return f"{head}***@{dom}***" + (f".{suffix}" if suffix else "")


# --------------------------------------------------------------------------------------------------
# Shared helpers

_NOT_GLUED_BEFORE = r"(?<![\w/\\.@#+-])"
_NOT_GLUED_AFTER = r"(?![\w/\\@-]|\.\w)"


_ASCII_LOWER = {c: c + 32 for c in range(65, 91)}


@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    """The text in lower case with offsets unchanged, for fast case-blind word searches."""
    # Case-blind regexes are several times slower than plain ones on lower-cased text.
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def _word_starts(low: str, pos: int) -> bool:
    return pos == 0 or not low[pos - 1].isalnum()


class _Lines:
    """Line starts of a text, to map offsets to lines in O(log n) even on one huge line."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def span(self, index: int) -> tuple[int, int]:
        """(start, end) of a 0-based line, without its newline; an index past the end is empty."""
        if index >= len(self.starts):
            return self.length, self.length
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else self.length
        return self.starts[index], end

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        index = self.index(offset)
        return index + 1, offset - self.starts[index] + 1


@lru_cache(maxsize=4)
def _lines(text: str) -> _Lines:
    return _Lines(text)


def _line_span(text: str, pos: int) -> tuple[int, int]:
    lines = _lines(text)
    return lines.span(lines.index(pos))


def _previous_line(text: str, pos: int) -> tuple[int, int]:
    lines = _lines(text)
    index = lines.index(pos)
    return lines.span(index - 1) if index > 0 else (0, 0)


# --------------------------------------------------------------------------------------------------
# Postcodes

_PC_OUTWARD = (
    r"(?:[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?"
    r"|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]))"
)
_PC_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
# Spaced postcodes in any case; unspaced ones only in capitals, where they are unlikely to be words.
_POSTCODE = lazy(
    _NOT_GLUED_BEFORE
    + rf"(?:(?i:(?P<out>{_PC_OUTWARD}|GIR)[ \u00a0](?P<inw>{_PC_INWARD}))"
    + rf"|(?P<tout>{_PC_OUTWARD}|GIR)(?P<tinw>{_PC_INWARD}))"
    + _NOT_GLUED_AFTER
)
_ORDINALS = frozenset({"st", "nd", "rd", "th"})
# Postcode areas in use (plus BF for BFPO, BX non-geographic, and the Crown Dependencies). The
# format rules alone accept "AA9A 9AA" or "MA1 2"; real areas keep format strings and ids out.
_POSTCODE_AREAS = frozenset(
    """
    AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE
    LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM
    SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
    """.split()  # noqa: SIM905 - a list literal of 124 codes is harder to read
)

# Address words before a partial postcode; without them "SP1 2" is far more often a standard id.
_ADDRESS_CONTEXT = lazy(
    r"(?:post\s?codes?|address(?:es)?|lives?|living|moved|moving|resides?|residing|relocated?|rehoused"
    r"|housed|staying|stays|area|district|sector|located|near|nearby)\b",
)
_POSTCODE_WORD = lazy(r"post\s?codes?")
_PARTIAL_GAP = 40  # characters between the address word and the partial postcode
# Punctuation that ends the clause an address or birth word belongs to.
_CLAUSE_BREAK = lazy(r"[;|!?]|\.\s")
_PC_PARTIAL = lazy(
    _NOT_GLUED_BEFORE
    + rf"(?P<out>{_PC_OUTWARD})(?:[ \u00a0](?P<sector>[0-9]))?"
    + r"(?![\w/\\@-]|\.\w|[ \u00a0]?[0-9][A-Za-z])"
)


def normalise_postcode(value: str) -> str:
    """Normalise a postcode to capitals with one space before the inward code: "SW1A 1AA"."""
    compact = re.sub(r"\s+", "", value).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


@lru_cache(maxsize=16)
def _postcode_allow(postcodes: frozenset[str]) -> frozenset[str]:
    return frozenset(normalise_postcode(p) for p in postcodes)


def _real_area(outward: str) -> bool:
    area = outward[:2] if outward[1:2].isalpha() else outward[:1]
    return area.upper() in _POSTCODE_AREAS or outward.upper() == "GIR"


def _find_postcodes(text: str, rules: ScanRules) -> Iterator[_Hit]:
    allowed = _postcode_allow(rules.allowlist.postcodes)
    for m in _POSTCODE.finditer(text):
        value = m.group(0)
        if not _real_area(m.group("out") or m.group("tout")):
            continue
        if m.group("inw") and not value.isupper() and m.group("inw")[1:].lower() in _ORDINALS:
            continue  # "a1 2nd" in lower case is prose, not a postcode
        if normalise_postcode(value) in allowed:
            continue
        yield _Hit("postcode", m.start(), m.end(), mask(value, keep_end=False))


def _find_partial_postcodes(text: str, rules: ScanRules) -> Iterator[_Hit]:
    allowed = _postcode_allow(rules.allowlist.postcodes)
    seen: set[int] = set()
    low = _lowered(text)
    for ctx in _ADDRESS_CONTEXT.finditer(low):
        if not _word_starts(low, ctx.start()):
            continue
        _, line_end = _line_span(text, ctx.start())
        strong = _POSTCODE_WORD.fullmatch(ctx.group(0)) is not None
        # Search a short window only (a line of address words must not cost quadratic time), then
        # match again against the whole line so that the window's end cannot fake a word boundary.
        window_end = min(line_end, ctx.end() + _PARTIAL_GAP + 8)
        for candidate in _PC_PARTIAL.finditer(text, ctx.end(), window_end):
            m = _PC_PARTIAL.match(text, candidate.start(), line_end)
            gap = candidate.start() - ctx.end()
            if m is None or gap > _PARTIAL_GAP:
                continue
            # An outward code alone ("lives in LS6") only counts straight after the word "postcode".
            if m.start() in seen or (m.group("sector") is None and not (strong and gap <= 12)):
                continue
            if not _real_area(m.group("out")):
                continue
            if _CLAUSE_BREAK.search(text, ctx.end(), m.start()):
                break  # the address word belongs to another clause
            partial = m.group(0).upper().replace("\u00a0", " ")
            if any(p.startswith(partial) for p in allowed):
                continue
            seen.add(m.start())
            yield _Hit("postcode-partial", m.start(), m.end(), mask(m.group(0), keep_end=False))


# --------------------------------------------------------------------------------------------------
# Phones

# A run of digit groups with single separators; brackets only around a group ("(0)20", "(01632)").
_PHONE_RUN = lazy(
    r"(?<![\w+./\\@#£$€%-])(?:\+[ \u00a0]?)?\(?\d+"
    r"(?:(?:[ \u00a0.\-]|\)[ \u00a0.\-]?|[ \u00a0]?\()\d+)*\)?"
    r"(?![\w/\\@%]|[.,:]\d)"
)
_DIGITS = lazy(r"\d+")
# Ofcom's drama ranges: 1,000 numbers each after an 8-digit prefix (never allocated to anyone).
_DRAMA_PREFIXES = frozenset(
    {
        "07700900", "01632960", "02079460", "01134960", "01144960", "01154960", "01164960",
        "01174960", "01184960", "01214960", "01314960", "01414960", "01514960", "01614960",
        "02896496", "02920180", "01914980", "08081570", "09098790", "03069990",
    }
)  # fmt: skip
# National helplines that policies and safety plans list; published by the charities that run them.
_HELPLINES = frozenset(
    {
        "08082000247",  # National Domestic Abuse Helpline (Refuge)
        "08088010327",  # Men's Advice Line (Respect)
        "08088024040",  # Respect Phoneline
        "08009995428",  # Galop LGBT+ Domestic Abuse Helpline
        "08005999247",  # Karma Nirvana (honour-based abuse)
        "08085002222",  # Rape Crisis 24/7 Support Line
        "08088020300",  # National Stalking Helpline
        "08088010800",  # Live Fear Free (Wales)
        "08000271234",  # Scotland's Domestic Abuse and Forced Marriage Helpline
        "08088021414",  # Northern Ireland Domestic and Sexual Abuse Helpline
        "08088005000",  # NSPCC Helpline
    }
)
# Numbers right after these labels are registration numbers, ISBNs and the like, not phones.
_NOT_PHONE_LABELS = frozenset(
    """
    isbn issn charity company registration registered reg vat account a/c invoice order serial
    licence license policy urn crn case crime ref reference
    """.split()  # noqa: SIM905
)
_NUMBER_WORDS = frozenset({"no", "number", "num", "nr", "#"})
_LABEL_WORDS = lazy(r"[a-z/#]+")


def _after_non_phone_label(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends with a label such as "charity no." or "ISBN"."""
    words = _LABEL_WORDS.findall(text[start:end].lower())[-2:]
    if words and words[-1] in _NUMBER_WORDS:
        words = words[:-1]
    return bool(words) and words[-1] in _NOT_PHONE_LABELS


def normalise_phone(value: str) -> str:
    """Normalise a UK phone number to digits in national form with the leading 0: "01632960123"."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.strip().startswith("+") or digits.startswith("0044"):
        digits = digits[2:] if value.strip().startswith("+") else digits[4:]
        digits = digits.removeprefix("0")  # "+44 (0)20 ..." keeps the trunk 0 in brackets
        digits = "0" + digits
    return digits


@lru_cache(maxsize=16)
def _phone_allow(phones: frozenset[str]) -> frozenset[str]:
    return frozenset(normalise_phone(p) for p in phones)


def _valid_uk_number(digits: str, first_group: int) -> bool:
    """Whether national-form digits fit the UK numbering plan's prefixes and lengths."""
    n = len(digits)
    if n < 10 or digits[0] != "0":
        return False
    kind, third = digits[1], digits[2]
    if kind == "1":
        # A few areas have 9-digit national numbers; they are written with the area code apart.
        return third != "0" and (n == 11 or (n == 10 and first_group in (5, 6)))
    if kind == "2":
        return n == 11 and third in "03489"
    if kind == "3":
        return n == 11 and third in "0347"
    if kind == "7":
        return n == 11
    if kind == "8":
        return (third == "0" and n in (10, 11)) or (third in "47" and n == 11)
    if kind == "9":
        return n == 11 and third in "018"
    return False


def _phone_allowed(digits: str, allowed: frozenset[str]) -> bool:
    return (
        digits in allowed
        or digits in _HELPLINES
        or (len(digits) == 11 and digits[:8] in _DRAMA_PREFIXES)
    )


def _find_phones(text: str, rules: ScanRules) -> Iterator[_Hit]:
    allowed = _phone_allow(rules.allowlist.phones)
    for run in _PHONE_RUN.finditer(text):
        raw = run.group(0)
        if len(raw) < 9 or sum(map(str.isdigit, raw)) < 9:
            continue
        base = run.start()
        groups = [(g.group(0), base + g.start(), base + g.end()) for g in _DIGITS.finditer(raw)]
        for start, end, digits in _phone_candidates(text, groups, raw.startswith("+")):
            line_start, _ = _line_span(text, start)
            if _after_non_phone_label(text, max(line_start, start - 30), start):
                continue
            if _phone_allowed(digits, allowed):
                continue
            yield _Hit("phone", start, end, mask(text[start:end]))


def _phone_candidates(
    text: str, groups: list[tuple[str, int, int]], plus: bool
) -> Iterator[tuple[int, int, str]]:
    """Split a run of digit groups into UK numbers: (start, end, national digits)."""
    i = 0
    while i < len(groups):
        first, g_start, g_end = groups[i]
        # A second number in the same run must be set apart by a space.
        if i > 0 and not text[groups[i - 1][2] : g_start].isspace():
            i += 1
            continue
        # parts: (digits, end offset, index of the next group) for each group of the national number
        parts: list[tuple[str, int, int]] = []
        international = (i == 0 and plus) or first.startswith("0044")
        if international:
            country = first[:2] if i == 0 and plus else first[:4]
            if country not in ("44", "0044"):
                return  # another country's number: not a UK phone
            start = _plus_start(text, g_start) if i == 0 and plus else g_start
            rest, j = first[len(country) :], i + 1
            if rest:
                parts.append((rest, g_end, j))
            elif (
                j < len(groups)
                and groups[j][0] == "0"
                and text[groups[j][1] - 1 : groups[j][1]] == "("
            ):
                j += 1  # "+44 (0)20 ...": the trunk 0 in brackets
        elif first[0] == "0" and len(first) >= 2 and first[1] != "0":
            start, j = g_start, i
        else:
            i += 1
            continue
        # A UK number has at most four groups: looking further would make long runs quadratic.
        parts.extend((g[0], g[2], index + 1) for index, g in enumerate(groups[j : j + 4], start=j))
        for k in range(min(len(parts), 4), 0, -1):
            digits = [p[0] for p in parts[:k]]
            if not _plausible_grouping(digits, international=international):
                continue
            national = "0" + "".join(digits).removeprefix("0") if international else "".join(digits)
            first_len = len(digits[0]) + (0 if digits[0].startswith("0") else 1)
            if _valid_uk_number(national, first_len):
                yield start, parts[k - 1][1], national
                i = parts[k - 1][2]
                break
        else:
            i += 1


def _plus_start(text: str, first_digit: int) -> int:
    """Offset of the "+" before "+44" / "+ 44"."""
    pos = first_digit - 1
    while pos > 0 and text[pos] != "+":
        pos -= 1
    return pos


def _plausible_grouping(parts: list[str], *, international: bool) -> bool:
    """Whether digit groups look like a phone number rather than a date, version or table row."""
    if len(parts) > 4:
        return False
    if len(parts) == 1:
        return True
    if len(parts[-1]) < 3 or any(len(p) < 2 for p in parts[1:-1]):
        return False
    # Area codes are 02x or four to six digits long: "080 857 8049" is a CHI number, not a phone.
    first = parts[0] if not international else "0" + parts[0].removeprefix("0")
    return len(first) >= 4 or (len(first) == 3 and first.startswith("02"))


# --------------------------------------------------------------------------------------------------
# E-mail

_EMAIL = lazy(
    r"(?<![\w.+%'-])[A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}@"
    r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w-])"
)
_SCP_REMOTE = lazy(r":[\w~]")
_RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
_RESERVED_TLDS = frozenset({"test", "invalid", "example", "localhost"})
# "logo@2x.png" is a file name, not an address.
_FILE_TLDS = frozenset(
    {"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "md", "yaml", "yml", "json"}
)


def _domain_in(domain: str, domains: tuple[str, ...] | frozenset[str]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in domains)


@lru_cache(maxsize=16)
def _lower_set(values: frozenset[str]) -> frozenset[str]:
    return frozenset(v.strip().lower().lstrip("@") for v in values)


def _find_emails(text: str, rules: ScanRules) -> Iterator[_Hit]:
    if "@" not in text:
        return
    emails = _lower_set(rules.allowlist.emails)
    domains = _lower_set(rules.allowlist.email_domains)
    for m in _EMAIL.finditer(text):
        address = m.group(0).lower()
        domain = m.group("domain").lower()
        tld = domain.rsplit(".", 1)[-1]
        if tld in _RESERVED_TLDS or tld in _FILE_TLDS or _domain_in(domain, _RESERVED_DOMAINS):
            continue
        if address in emails or _domain_in(domain, domains):
            continue
        if _SCP_REMOTE.match(text, m.end()):
            continue  # "git@github.com:org/repo": an scp-style remote, not a mailbox
        yield _Hit("email", m.start(), m.end(), mask(m.group(0)))


# --------------------------------------------------------------------------------------------------
# National Insurance numbers

_NI = lazy(
    r"(?<![A-Za-z0-9])(?P<prefix>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ \u00a0]?"
    r"\d\d(?P<sep>[ \u00a0]?)\d\d(?P=sep)\d\d(?:[ \u00a0]?(?P<suffix>[A-D]))?(?![A-Za-z0-9])",
    re.I,
)
_NI_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NI_CONTEXT = lazy(r"\b(?:NI|NINO|N\.I\.)(?:\b|\s)|national\s+insurance", re.I)


def _find_ni_numbers(text: str, rules: ScanRules) -> Iterator[_Hit]:
    has_context: dict[int, bool] = {}
    for m in _NI.finditer(text):
        if m.group("prefix").upper() in _NI_BAD_PREFIXES:
            continue
        if m.group("suffix") is None:
            # Without the suffix, two letters and six digits are often a form or product code.
            start, end = _line_span(text, m.start())
            if start not in has_context:
                has_context[start] = _NI_CONTEXT.search(text, start, end) is not None
            if not has_context[start]:
                continue
        yield _Hit("ni-number", m.start(), m.end(), mask(m.group(0)))


# --------------------------------------------------------------------------------------------------
# NHS / CHI / H&C numbers

# 3-3-4 (NHS style), 10 digits, or 6-4 (CHI style: date of birth, then four digits).
_NHS = lazy(
    r"(?<![\w.,/+£$-])(?:(\d{3})([ \u00a0-]?)(\d{3})\2(\d{4})|(\d{6})[ \u00a0](\d{4}))"
    r"(?![\w/%]|[.,]\d)"
)
_NHS_CONTEXT = lazy(
    r"\b(?:NHS|CHI|H\s?&\s?C|HSC)\b|(?i:\bnhs\b|\bpatient|health\s+(?:and|&)\s+care\s+n)"
)
_ISBN = lazy(r"isbn", re.I)


def nhs_checksum_ok(digits: str) -> bool:
    """Whether ten digits pass the NHS/CHI/H&C modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _valid_ddmmyy(digits: str) -> bool:
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    try:
        date(2000 + year, month, day)  # 2000 is a leap year, so 29 February is accepted
    except ValueError:
        return False
    return True


def _nhs_allocated(digits: str) -> bool:
    """Whether a number is in a range issued to people (CHI, H&C, NHS England/Wales)."""
    head = int(digits[:3])
    if 10 <= head <= 311:
        return _valid_ddmmyy(digits)
    return 320 <= head <= 399 or 400 <= head <= 499 or 600 <= head <= 799


def _find_nhs_numbers(text: str, rules: ScanRules) -> Iterator[_Hit]:
    has_context: dict[int, bool] = {}
    for m in _NHS.finditer(text):
        digits = "".join(m.group(i) or "" for i in (1, 3, 4, 5, 6))
        # 999 is the synthetic range used in fixtures; repdigits pass mod 11 but are never issued.
        if digits.startswith("999") or len(set(digits)) == 1 or not nhs_checksum_ok(digits):
            continue
        start, end = _line_span(text, m.start())
        if _ISBN.search(text, max(start, m.start() - 30), m.start()):
            continue  # ISBN-10 uses the same modulus-11 check
        if not _nhs_allocated(digits):
            if start not in has_context:
                # The word may be on the line or on the one before (a label or a table header).
                has_context[start] = bool(
                    _NHS_CONTEXT.search(text, start, end)
                    or _NHS_CONTEXT.search(text, *_previous_line(text, start))
                )
            if not has_context[start]:
                continue
        yield _Hit("nhs-number", m.start(), m.end(), mask(m.group(0)))


# --------------------------------------------------------------------------------------------------
# Dates of birth

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DATE = lazy(
    rf"""(?<![\w/.-])(?:
        (?P<d1>\d{{1,2}})(?P<s1>[/.-])(?P<m1>\d{{1,2}})(?P=s1)(?P<y1>\d{{4}}|\d{{2}})
      | (?P<y2>\d{{4}})(?P<s2>[/.-])(?P<m2>\d{{1,2}})(?P=s2)(?P<d2>\d{{1,2}})
      | (?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t-]+(?P<m3>{_MONTHS})[ \t,-]+
        (?P<y3>\d{{4}})
      | (?P<m4>{_MONTHS})[ \t]+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(?P<y4>\d{{4}})
    )(?![\w/]|[.-]\d)""",
    re.I | re.X,
)
_DOB_CONTEXT = lazy(  # searched in lower-cased text; word starts are checked in code
    r"(?P<strong>d\.?o\.?b\b\.?|date\s+of\s+birth\b|birth\s?(?:day|date)s?\b)"
    r"|(?P<born>born\b(?!\s+(?:out|from|of)\b))"  # not "born out of a campaign"
    r"|(?P<weak>aged\b|age\s*:)",
)
# "aged 16 to 25", "aged 18 or over": an eligibility rule, not a person's age.
_AGE_RANGE = lazy(r"\s*(?:under|over|between|from|up\s+to|\d+\s*(?:-|–|to|or|and|\+))", re.I)
_DOB_LABEL_LINE = lazy(
    r"[\W_]*(?:date\s+of\s+birth|d\.?o\.?b\.?|birth\s?date|birthday)[\W_]*", re.I
)
# How far (characters before, after) a date may sit from each kind of context word.
_DOB_WINDOWS = {"strong": (60, 25), "born": (30, 15), "weak": (30, 15)}


def _valid_date(m: re.Match[str]) -> bool:
    if m.group("d1"):
        day, month, year = m.group("d1"), m.group("m1"), m.group("y1")
    elif m.group("y2"):
        day, month, year = m.group("d2"), m.group("m2"), m.group("y2")
    elif m.group("d3"):
        day, month, year = m.group("d3"), m.group("m3"), m.group("y3")
    else:
        day, month, year = m.group("d4"), m.group("m4"), m.group("y4")
    month_no = int(month) if month.isdigit() else _MONTH_NUMBER[month[:3].lower()]
    year_no = int(year) if len(year) == 4 else 2000 + int(year)
    if len(year) == 4 and not 1900 <= year_no <= 2099:
        return False
    try:
        date(year_no if year_no % 4 else 2000, month_no, int(day))
    except ValueError:
        return False
    return True


def _near_context(m: re.Match[str], contexts: list[re.Match[str]], ends: list[int]) -> bool:
    """Whether a date sits close enough to one of the line's context words (sorted by end)."""
    text = m.string
    # Only words ending at most 60 characters before the date can count: skip the rest quickly.
    first = bisect.bisect_left(ends, m.start() - max(w[0] for w in _DOB_WINDOWS.values()))
    for ctx in contexts[first:]:
        if ctx.start() > m.end() + max(w[1] for w in _DOB_WINDOWS.values()):
            break
        kind = ctx.lastgroup or "weak"
        before, after = _DOB_WINDOWS[kind]
        if kind == "weak" and ctx.group(0).lower() == "aged" and _AGE_RANGE.match(text, ctx.end()):
            continue
        if 0 <= m.start() - ctx.end() <= before:
            between = (ctx.end(), m.start())
        elif 0 <= ctx.start() - m.end() <= after:
            between = (m.end(), ctx.start())
        else:
            continue
        if not _CLAUSE_BREAK.search(text, *between) and not _DATE.search(text, *between):
            return True
    return False


def _find_dates_of_birth(text: str, rules: ScanRules) -> Iterator[_Hit]:
    lines: dict[int, list[re.Match[str]]] = {}
    low = _lowered(text)
    for ctx in _DOB_CONTEXT.finditer(low):
        if not _word_starts(low, ctx.start()):
            continue
        line_start, _ = _line_span(text, ctx.start())
        lines.setdefault(line_start, []).append(ctx)
    seen: set[int] = set()
    for line_start, contexts in lines.items():
        _, line_end = _line_span(text, line_start)
        ends = [ctx.end() for ctx in contexts]
        for m in _DATE.finditer(text, line_start, line_end):
            if m.start() not in seen and _near_context(m, contexts, ends) and _valid_date(m):
                seen.add(m.start())
                yield _Hit("date-of-birth", m.start(), m.end(), mask(m.group(0)))
        # A label line alone ("Date of birth:") applies to a date at the start of the next line.
        if line_end < len(text) and _DOB_LABEL_LINE.fullmatch(text, line_start, line_end):
            next_start = line_end + 1
            _, next_end = _line_span(text, next_start)
            found = _DATE.search(text, next_start, min(next_end, next_start + 30))
            if found and found.start() not in seen and _valid_date(found):
                seen.add(found.start())
                yield _Hit("date-of-birth", found.start(), found.end(), mask(found.group(0)))


# --------------------------------------------------------------------------------------------------
# Case references

_CASE_LABEL = lazy(
    r"""(?:
        (?:case|crime|marac|police|incident|occurrence|referral|client|cad|log)[ \t]+
            (?:(?:ref\b\.?|reference)(?:[ \t]*(?:no\b\.?|number))?|no\b\.?|number|num\b\.?|nr\b\.?
            |id\b|\#)
      | (?:case|crime|marac)(?=[ \t]*:)
      | (?:urn|crn)\b
      | ref\b\.?(?:[ \t]*(?:no\b\.?|number))?
      | reference(?:[ \t]+(?:no\b\.?|number))?
    )[ \t]*[:#=]?[ \t]*
    (?P<tok>(?=[A-Za-z0-9/_.-]*\d)[A-Za-z0-9](?:[A-Za-z0-9/_.-]*[A-Za-z0-9])?)""",
    re.X,  # searched in lower-cased text
)
# Identifiers of organisations and documents, not of people.
_CASE_NOT_AFTER = lazy(
    r"(?:charity|company|companies|vat|isbn|issn|ofsted|policy|document|version|standard|section"
    r"|grant|grants|funder|funding|invoice|invoices|inv|order|purchase|po|contract|tender|budget"
    r"|supplier|payment|receipt|release|commit|git|sha|hash|digest|revision|rev|build|tag)"
    r"\s*[-:#]?\s*$",
    re.I,
)
# A git object id or a digest: 12+ hex digits with letters and digits ("3f7868…", "a94a8fe" after
# "commit"), or a "sha256:" / "md5:" prefix; never a case reference.
_HEX_ID = lazy(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12,}", re.I)
_DIGEST_PREFIX = lazy(r"(?:sha(?:1|224|256|384|512)|md5|blake2[bs]?)(?=:)", re.I)
_CASE_NOT_TOKEN = lazy(
    r"(?:19|20)\d\d(?:[/-](?:\d\d|(?:19|20)\d\d))?"  # a year or financial year
    r"|v?\d+(?:\.\d+)+"  # a version or section number
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"  # a date
    r"|[A-Za-z]{1,3}\d{1,2}",  # a standard id (SP1, GV7)
    re.I,
)


@lru_cache(maxsize=16)
def _case_patterns(patterns: tuple[str, ...]) -> tuple[SafePattern, ...]:
    # Configured patterns run with RE2: Python's backtracking `re` can take minutes on one line.
    from llcompliance.adapters import saferegex

    compiled = []
    for pattern in patterns:
        try:
            compiled.append(saferegex.compile_pattern(pattern))
        except saferegex.PatternError as exc:
            raise ConfigError(
                f"llcompliance.yaml: scan.case_reference_patterns: {pattern!r} cannot be used: "
                f"{exc} ({saferegex.WHY})"
            ) from None
    return tuple(compiled)


def _find_case_references(text: str, rules: ScanRules) -> Iterator[_Hit]:
    seen: set[int] = set()
    for pattern in _case_patterns(rules.case_reference_patterns):
        for found in pattern.finditer(text):
            if found.end() > found.start() and found.start() not in seen:
                seen.add(found.start())
                yield _Hit("case-reference", found.start(), found.end(), mask(found.group(0)))
    low = _lowered(text)
    for m in _CASE_LABEL.finditer(low):
        if not _word_starts(low, m.start()):
            continue
        token = text[m.start("tok") : m.end("tok")]
        start = m.start("tok")
        if start in seen or sum(ch.isdigit() for ch in token) < 3:
            continue
        if _CASE_NOT_TOKEN.fullmatch(token) or text[m.end() : m.end() + 1] == "%":
            continue
        if _HEX_ID.fullmatch(token) or _DIGEST_PREFIX.match(text, start):
            continue
        line_start, _ = _line_span(text, m.start())
        if _CASE_NOT_AFTER.search(text, max(line_start, m.start() - 30), m.start()):
            continue
        seen.add(start)
        yield _Hit("case-reference", start, m.end(), mask(token))


# --------------------------------------------------------------------------------------------------
# Allow markers

_RULE_NAME = r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"  # "--" after a name starts the reason
ALLOW_MARKER = lazy(
    r"llcompliance:[ \t]*allow\b[ \t]*"
    rf"(?P<rules>{_RULE_NAME}(?:[ \t]*,[ \t]*{_RULE_NAME})*)?"
    r"(?P<rest>[^\n]*)",
    re.I,
)
_COMMENT_CLOSE = lazy(r"[ \t]*(?:-->|\*/|#\}|%\}|\]\s*:\s*#)?[ \t\r]*$")
_REASON = lazy(r"[ \t]*(?:—|–|--|-(?=[ \t]))[ \t]*(?P<reason>.*)")
_HAS_WORD = lazy(r"[^\W\d_]{2}")  # a reason needs at least one word, not just "-" or "?"
_COMMENT_OPEN = lazy(r"[ \t]*(?:<!--|#|//|/\*|\{#|%|;|--|\*|-|\[//\]:\s*#\s*\(?)?[ \t]*")


class _Marker(NamedTuple):
    line: int
    column: int
    rules: frozenset[str]
    error: str  # empty when the marker is valid
    standalone: bool


def _find_markers(text: str, lines: _Lines) -> list[_Marker]:
    markers = []
    for m in ALLOW_MARKER.finditer(text):
        line, column = lines.locate(m.start())
        names = [r.strip().lower() for r in (m.group("rules") or "").split(",") if r.strip()]
        rest = _COMMENT_CLOSE.sub("", m.group("rest"), count=1)
        reason = _REASON.fullmatch(rest)
        error = ""
        if not names:
            error = _NO_RULE
        elif any(n not in ALLOWABLE_RULES for n in names):
            error = _UNKNOWN_RULE
        elif reason is None or not _HAS_WORD.search(reason.group("reason")):
            error = _NO_REASON
        line_start = m.start() - column + 1
        standalone = _COMMENT_OPEN.fullmatch(text, line_start, m.start()) is not None
        markers.append(_Marker(line, column, frozenset(names), error, standalone))
    return markers


# --------------------------------------------------------------------------------------------------
# The scan


Detector = Callable[[str, ScanRules], Iterator[_Hit]]

DETECTORS: dict[str, Detector] = {
    "postcode": _find_postcodes,
    "postcode-partial": _find_partial_postcodes,
    "phone": _find_phones,
    "email": _find_emails,
    "ni-number": _find_ni_numbers,
    "nhs-number": _find_nhs_numbers,
    "date-of-birth": _find_dates_of_birth,
    "case-reference": _find_case_references,
}


def _drop_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Drop generic case-reference hits that sit on a more specific finding."""
    specific = sorted((h for h in hits if h.rule != "case-reference"), key=attrgetter("start"))
    if len(specific) == len(hits):
        return hits
    starts = [h.start for h in specific]
    reach: list[int] = []  # the furthest end among specific[0..i]
    for h in specific:
        reach.append(max(h.end, reach[-1] if reach else 0))
    kept = list(specific)
    for h in hits:
        if h.rule == "case-reference":
            before = bisect.bisect_left(starts, h.end)  # specific hits that start before h ends
            if before == 0 or reach[before - 1] <= h.start:
                kept.append(h)
    return kept


_TRIGGER = lazy(r"[0-9@]")
_TRIGGER_RUN = lazy(r"[0-9@][0-9@ ().+/-]*")
_LONG_LINE = 320
_PAD_BEFORE, _PAD_AFTER = 160, 100


def _windows(text: str) -> list[tuple[int, int]]:
    """Spans that can hold a built-in match: each short line with a digit or @ together with the
    line before it (context such as "Date of birth:"), and inside long lines the words around each
    run of digits. Prose without digits is skipped; unchanged spans recur across file versions."""
    spans: list[tuple[int, int]] = []

    def add(start: int, end: int) -> None:
        if spans and start <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))

    offset = 0
    previous_start = 0
    for line in text.split("\n"):
        end = offset + len(line)
        if _TRIGGER.search(line):
            if len(line) <= _LONG_LINE:
                add(previous_start, end)
            else:
                for run in _TRIGGER_RUN.finditer(line):
                    lo = line.rfind(" ", 0, max(0, run.start() - _PAD_BEFORE)) + 1
                    hi = line.find(" ", min(len(line), run.end() + _PAD_AFTER))
                    add(
                        previous_start if lo == 0 else offset + lo,
                        offset + (len(line) if hi < 0 else hi),
                    )
        previous_start = offset
        offset = end + 1
    return spans


_WINDOW_CACHE: dict[ScanRules, dict[str, tuple[_Hit, ...]]] = {}
_WINDOW_CACHE_SIZE = 20_000


def clear_caches() -> None:
    """Forget remembered detector results, so that the next scan does all the work again (for
    benchmarks and tests that must not measure or trust a cache)."""
    _WINDOW_CACHE.clear()
    _lowered.cache_clear()
    _lines.cache_clear()


def _window_hits(
    piece: str, rules: ScanRules, cache: dict[str, tuple[_Hit, ...]]
) -> tuple[_Hit, ...]:
    """Every built-in detector's hits in one window, remembered: successive versions of a file in
    history share most of their lines, so `scan --history` runs the detectors on each line once."""
    found = cache.get(piece)
    if found is None:
        found = tuple(
            hit
            for rule, detector in DETECTORS.items()
            if rule not in rules.disabled_rules
            and not (rule == "case-reference" and rules.case_reference_patterns)
            for hit in detector(piece, rules)
        )
        if len(cache) >= _WINDOW_CACHE_SIZE:
            cache.clear()
        cache[piece] = found
    return found


def scan_text(text: str, rules: ScanRules = NO_RULES) -> ScanResult:
    """Find personal data in a text, honouring the allowlist and reasoned inline allow markers."""
    hits: list[_Hit] = []
    if "case-reference" not in rules.disabled_rules and rules.case_reference_patterns:
        # configured patterns may match without digits: they see the whole text
        hits.extend(_find_case_references(text, rules))
    cache = _WINDOW_CACHE.setdefault(rules, {})
    for start, end in _windows(text):
        found = _window_hits(text[start:end], rules, cache)
        hits.extend(
            h._replace(start=h.start + start, end=h.end + start) if start else h for h in found
        )
    if names.RULE not in rules.disabled_rules:
        # Names need no digit, so they are looked for in the whole text, not in the windows.
        hits.extend(_Hit(names.RULE, *found) for found in names.find_person_names(text))
    hits = _drop_overlaps(hits)
    check_markers = "allow-marker" not in rules.disabled_rules
    if not hits and not (check_markers and "llcompliance:" in _lowered(text)):
        return ScanResult((), ())
    lines = _lines(text)
    allows: dict[int, frozenset[str]] = {}
    matches: list[Match] = []
    for marker in _find_markers(text, lines):
        if marker.error:
            if check_markers:
                matches.append(
                    Match(
                        "allow-marker",
                        ERROR,
                        marker.line,
                        marker.column,
                        "llcompliance: allow",
                        marker.error,
                    )
                )
            continue
        # A marker alone on its line (in a comment) covers the next line too.
        targets = (marker.line, marker.line + 1) if marker.standalone else (marker.line,)
        for target in targets:
            allows[target] = allows.get(target, frozenset()) | marker.rules
    allowed: list[Match] = []
    for hit in hits:
        line, column = lines.locate(hit.start)
        match = Match(hit.rule, SEVERITY[hit.rule], line, column, hit.masked, MESSAGES[hit.rule])
        (allowed if hit.rule in allows.get(line, ()) else matches).append(match)
    order = attrgetter("line", "column", "rule")
    return ScanResult(tuple(sorted(matches, key=order)), tuple(sorted(allowed, key=order)))


# --------------------------------------------------------------------------------------------------
# Masking other text, and file names

# Identifiers with a fixed shape: found without a configured pattern or a context of free text.
STRUCTURED_RULES = ("postcode", "phone", "email", "ni-number", "nhs-number", "date-of-birth")


def _structured_hits(text: str, rules: ScanRules) -> list[_Hit]:
    """Hits of the structured detectors, without overlaps."""
    return _apart(
        hit
        for rule in STRUCTURED_RULES
        if rule not in rules.disabled_rules
        for hit in DETECTORS[rule](text, rules)
    )


def _apart(hits: Iterable[_Hit]) -> list[_Hit]:
    """Hits in order with overlaps dropped: of overlapping hits the earliest, then longest, stays."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _replace_hits(text: str, hits: list[_Hit]) -> str:
    pieces = []
    last = 0
    for hit in hits:
        pieces += [text[last : hit.start], hit.masked]
        last = hit.end
    return "".join(pieces) + text[last:]


def mask_personal_data(text: str, allowlist: Allowlist = NOTHING_ALLOWED) -> str:
    """The text with each phone number, postcode, e-mail address, NI or NHS number and date of birth
    masked as `scan` shows it; other text, fictional ranges and allowlisted values are left alone."""
    if not _TRIGGER.search(text):
        return text  # every structured identifier has a digit or an @: most messages have neither
    return _replace_hits(text, _structured_hits(text, ScanRules(allowlist=allowlist)))


# Names separate words with "_", "-", "." or "+" where prose has spaces; the detectors refuse values
# glued to such characters (so that ids and versions are not flagged), so each name is also read
# with them as spaces. Each variant keeps every offset, so a hit in either masks the real name.
_NAME_SPACES = str.maketrans({"/": "\n", "_": " "})
_NAME_WORDS = str.maketrans({"/": "\n", "_": " ", "-": " ", ".": " ", "+": " ", ",": " "})
_EXTENSION = lazy(r"\.[A-Za-z0-9]{1,5}$")
_NAME_MESSAGES = {
    rule: MESSAGES[rule].split(";")[0].split(":")[0]  # "looks like a UK phone number"
    + " in the file or folder name: rename it (git mv OLD NEW) so that the name says what the "
    "document is, not who it is about"
    for rule in STRUCTURED_RULES
}


class NameScan(NamedTuple):
    """Findings in a path's folder and file names, and the path with those values masked."""

    matches: tuple[Match, ...]
    masked_path: str


def scan_name(path: str, rules: ScanRules = NO_RULES) -> NameScan:
    """Look for structured personal data (phone, postcode, e-mail, NI, NHS, date of birth) in a
    repo-relative path; findings are at line 0, the file as a whole."""
    if not _TRIGGER.search(path):
        return NameScan((), path)
    # "jane@mail.com.md": without its extension, the e-mail address does not end in a file type
    ext = _EXTENSION.search(path)
    bare = path[: ext.start()] + " " * (ext.end() - ext.start()) if ext else path
    seen: dict[tuple[int, int], _Hit] = {}
    for variant in (bare.translate(_NAME_SPACES), bare.translate(_NAME_WORDS)):
        for hit in _structured_hits(variant, rules):
            value = path[hit.start : hit.end]  # mask the name's own characters, not the variant's
            masked = mask(value, keep_end=hit.rule not in ("postcode", "postcode-partial"))
            seen.setdefault((hit.start, hit.end), hit._replace(masked=masked))
    kept = _apart(seen.values())
    matches = tuple(
        Match(hit.rule, SEVERITY[hit.rule], 0, hit.start + 1, hit.masked, _NAME_MESSAGES[hit.rule])
        for hit in kept
    )
    return NameScan(matches, _replace_hits(path, kept))
