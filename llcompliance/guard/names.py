"""Names of survivors, children and perpetrators found from their context, without a roster.

No pattern finds names as such; this module looks only where a name is likely: after an honorific
("Mrs Okafor"), after a family, role or naming word ("her son Tyler", "the perpetrator, Darren
Hughes", "client named ..."), and before an age ("Tyler (6)", "Amira, 14"). A word counts as a
name when the forename list (`data/forenames.txt`, from Faker: see `data/README.md`) knows it, or
when the context leaves little doubt. Staff names on approval and role lines, laws named after
people ("Clare's Law"), places, organisations and ordinary words that are also names ("May",
"Hope", "Will") are not findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from llcompliance.adapters.lazyregex import lazy

RULE = "person-name"
DESCRIPTION = "name of a survivor, child or perpetrator (after an honorific, a family or role word, or before an age)"

_DATA = Path(__file__).resolve().parent / "data" / "forenames.txt"


class NameHit(NamedTuple):
    """A name's span in the text and its masked form ("T**** (6)")."""

    start: int
    end: int
    masked: str


# Ordinary words, months and places that are also forenames: alone they are not names; with an age,
# a surname or a family word ("her daughter Grace") they are.
_ORDINARY = frozenset(
    """
    May June April August Autumn Summer Winter Hope Grace Faith Joy Charity Patience Prudence Honor
    Honour Mercy Unity Harmony Destiny Trinity Liberty Justice Will Mark Bill Pat Sue Rob Jack Frank
    Guy Art Sky River Storm Chance Hunter Page Carol Dean Drew Earl Glen Major Miles Penny Rich Ray
    Rod Sandy Warren Wade Chase Clay Cliff Dale Grant Heath Lane Reed Royal Sterling Christian
    Precious Princess Sunny Star Angel Nova Man Mad Sad Om Ibn Eta Don Jan Max Sam Young Gay Bishop
    Hazel Olive Iris Pearl Crystal Melody Blossom Willow Sage Robin Rowan Amber Ruby Holly Ivy Lily
    Daisy Violet Heather Jade Dawn Rose Poppy Jasmine Saffron Misty Ginger Brandy Sherry Candy Cookie
    Lincoln Jordan Chelsea Brooklyn Paris Sydney Florence Georgia Devon Kent India Asia Africa Israel
    Jersey Adelaide Victoria Chester Preston Stanley Derby Carolina Virginia Dakota Austin Houston
    Dallas Phoenix Denver Orlando Lourdes Sharon Mercedes Bentley Harley Diamond Marvel Rio Shepherd
    Baker Carter Cooper Mason Fletcher Taylor Porter Parker Fisher Hunter Archer Wong Bach Tang Lee
    Victor Sonny Buddy Junior Skye Ocean Raven Neve Noel Eve Eden Genesis Haven Heaven Serenity Bliss
    Miracle Blessing Gift Favour Favor Goodness Beauty Comfort Fortune Lucky King Prince Duke Queen
    Kingsley Sunday Monday Friday Tuesday Easter
    """.split()  # noqa: SIM905 - a word list is easier to read and extend than a list literal
)
_MONTHS = frozenset(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December")
)  # fmt: skip
# Capitalised words of policy and evidence prose that follow role words ("Victim Support", "Child
# Protection", "Client Services"): never a name.
_NOT_NAMES = frozenset(
    """
    Act Acts Law Laws Code Scheme Order Orders Section Part Article Schedule Regulation Regulations
    Guidance Policy Policies Procedure Procedures Protocol Strategy Framework Standard Standards
    Support Supporting Services Service Care Team Teams Plan Plans Planning Protection Safeguarding
    Safety Safe Risk Risks Assessment Assessments Review Reviews Conference Meeting Meetings Panel
    Board Court Courts Crown Magistrates Family Families Police Council Councils Trust Trusts
    Authority Authorities Agency Agencies Department Office Unit Centre Center Centres Hub Programme
    Programmes Program Project Projects Group Groups Partnership Partnerships Network Alliance
    Foundation Charity Association Society Housing House Home Homes Refuge Refuges Aid Hospital
    Health Mental Social Children Childrens Child Adult Adults Young Youth Women Men Womens Mens
    Victim Victims Survivor Survivors Client Clients Perpetrator Perpetrators Offender Offenders
    Referral Referrals Case Cases Management Manager Record Records Data Information Form Forms
    Contact Contacts Details Number Name Names Consent Voice Voices Experience Experiences Journey
    Pathway Pathways Outcome Outcomes Feedback Survey Surveys Report Reports Led Focused Centred
    Centered Engagement Involvement Participation Forum Champion Champions Advocate Advocacy Idva
    Idvas Isva Isvas Ypva Marac Mash Dash Dash Caada Safelives Ofsted Nhs Gp Cps Cafcass Dwp Hmrc
    Yes No Not None Unknown Other Others All Any Each Every Some The This That These Those Our Their
    Her His My Your Its And Or But If When Where Who What Which Why How With Without From For To In
    On At By Of As Is Was Are Were Be Been Has Had Have Do Did Does Will Would Should Could Can May
    Might Must Shall Mr Mrs Ms Miss Mx Dr Master Sir Dame Lady Lord Reverend Rev Prof Professor
    January February March April June July August September October November December Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter Day Week Month Year Date
    Age Aged Years Months Weeks Study Studies Example Examples Template Name Surname Forename
    England Wales Scotland Ireland Britain British English Welsh Scottish Irish Uk Gb London
    Justice Father Mother Brother Sister Son Daughter Partner Dad Mum Mom
    Approved Signed Reviewed Owner Author Lead Chair Trustee Trustees Director Ceo Coordinator
    Officer Worker Workers Practitioner Practitioners Supervisor Volunteer Volunteers Staff Senior
    Specialist Independent Designated Named Head Deputy Chief Executive Operations Finance
    Help Early Start Sure Intervention Prevention Recovery Freedom Programme Toolkit
    Accreditation Leading Lights Standard Evidence Self Assessment Number Ref Reference Unit
    """.split()  # noqa: SIM905
)
# A word after the name that makes it a place, an organisation or a law, not a person.
_ORG_AFTER = frozenset(
    """
    Law Laws Act Principle Scheme Review Trust Charity Foundation Fund Project Projects House Hospice
    Hospital Centre Center Place Road Street Lane Avenue Close Court Drive Way Park Gardens Square
    Station Estate Ward Borough County City Town Village Council Police School Schools Academy
    College University Primary Nursery Church Mosque Temple Surgery Practice Clinic Medical Refuge
    Aid Women Associates Partnership Group Network Alliance Housing Homes Ltd Limited LLP Plc CIC
    Bank Building Hall Library Services Service Institute Society Association Report Inquiry
    Commission Trophy Award Awards Prize
    """.split()  # noqa: SIM905
)
# Words before a capitalised word that make it a place or a title ("St Helens", "Port Talbot").
_PLACE_BEFORE = lazy(
    r"(?:\b(?:st|saint|port|fort|mount|lake|loch|glen|upper|lower|north|south|east|west|new)\.?\s+)$",
    re.I,
)

# A line whose label names a staff role or an approval: names on it belong to staff ("Approved by:
# Helen Marsh, Chair of Trustees", "Owner: Sarah Khan, Service Manager").
_STAFF_LINE = lazy(
    r"""^[\s>*#|_-]*(?:[\w'’ ()/-]{0,40}?\b)?
    (?:approved|signed|signed\s+off|reviewed|authori[sz]ed|ratified|agreed|prepared|written|drafted
      |updated|checked|verified|owned|presented|delivered|chaired|facilitated|led|supervised|trained|
      audited)(?:\s+by)?\b
    |^[\s>*#|_-]*[\w'’ ()/-]{0,40}?\b(?:owner|author|lead|chair|approver|reviewer|signatory|supervisor
      |manager|officer|director|trustee|ceo|coordinator|co-ordinator|dsl|dpo|idva|isva|ypva
      |worker|practitioner|advocate|trainer|facilitator|auditor|assessor|secretary|treasurer|staff)s?
      \s*[:=|-]""",
    re.I | re.X,
)
# A role title straight after a name: staff, not a client ("Sarah Khan, Service Manager").
_ROLE_AFTER = lazy(
    r"""[ \t]*(?:,|\(|-|–|—)[ \t]*(?:the[ \t]+|our[ \t]+)?(?:[A-Za-z-]+[ \t]+){0,3}?
    (?:manager|officer|director|trustees?|ceo|chair(?:person)?|coordinator|co-ordinator|lead|head
      |idva|isva|ypva|worker|practitioner|advocate|supervisor|volunteer|trainer|facilitator|auditor
      |assessor|secretary|treasurer|administrator|dsl|dpo|founder|chief|deputy|senior|team[ \t]+leader)\b""",
    re.I | re.X,
)

_WORD = r"[A-ZÀ-Þ](?:['’][A-ZÀ-Þ])?[a-zß-ÿ]+(?:[A-ZÀ-Þ][a-zß-ÿ]+)?(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?"
_AGE = (
    r"(?:[ \t]*\([ \t]*(?:aged?[ \t]*)?\d{1,2}(?:[ \t]*(?:yrs?|years?(?:[ \t]+old)?|y/?o|months?|mths?|m|y))?[ \t]*\)"
    r"|,[ \t]*(?:aged?[ \t]*)?\d{1,2}(?:[ \t]*(?:yrs?|years?(?:[ \t]+old)?|y/?o|months?))?"
    r"(?=[ \t]*(?:$|[,.;:)\]]|and\b|&|-|–|—|who\b|is\b|was\b|has\b|had\b))"
    r"|[ \t]+aged[ \t]+\d{1,2}\b)"
)
_POSSESSIVE = r"(?:her|his|their|my|your|our|[a-z]+['’]s)"
_FAMILY = (
    r"(?:(?:step|half-|ex-?|eldest\s|youngest\s)?(?:sons?|daughters?|child|kids?|baby|sisters?|brothers?"
    r"|mother|mum|mom|mam|father|dad|husband|wife|boyfriend|girlfriend|partner|fianc[eé]e?|grandsons?"
    r"|granddaughters?|grandmother|grandfather|grandma|grandad|grandpa|nan|nana|gran|granny|aunt|auntie"
    r"|aunty|uncle|cousin|niece|nephew|twins?|toddler|infant|newborn|stepson|stepdaughter|ex)"
    r"|eldest|youngest)"
)
_ROLE = (
    r"(?:(?:alleged[ \t]+)?(?:perpetrator|abuser|suspect|offender|defendant|respondent)|victim|survivor"
    r"|complainant|client|service[ \t]+user|young[ \t]+person|pupil|patient|tenant|caller|resident"
    r"|referral[ \t]+(?:for|of|re:?)|referred|children|child|sons?|daughters?|baby|siblings?"
    r"|twins?|household[ \t]+members?|family[ \t]+members?|mother|father|mum|dad|partner|ex-partner"
    r"|ex-husband|ex-wife|husband|wife|boyfriend|girlfriend|stepfather|stepmother|stepdad|stepmum"
    r"|stepson|stepdaughter|grandmother|grandfather|aunt|uncle|cousin|sister|brother|neighbour)"
)
# Family words used as a title before a name ("Aunt Rose", "Uncle Bill"): a name, even an ordinary word.
_KIN_TITLE = (
    r"(?:aunt|auntie|aunty|uncle|nan|nana|gran|granny|grandma|grandad|grandpa|cousin)(?=[ \t])"
)
_NAMING = (
    r"(?:named|called|known[ \t]+as|a\.?k\.?a\.?|(?:first|full|real|given|fore|sur)[ \t]*name[ \t]+(?:is|was)"
    r"|(?:client|child|children|victim|survivor|perpetrator|service[ \t]+user|young[ \t]+person|"
    r"patient|pupil|mother|father|baby|son|daughter|partner|husband|wife|mum|dad|sister|brother)"
    r"['’]?s?[ \t]+names?(?:[ \t]+(?:is|was))?)"
)


# Cheap tests first, each true of every text the heavy pattern can match in: an honorific needs one
# of its titles; an age needs "(" or "," and a digit, or "aged" and a digit.
_TITLES = ("Mr", "Ms", "Mx", "Miss", "Master")
_AGE_HINT = lazy(r"[(,][ \t]*(?:aged?[ \t]*)?\d|aged[ \t]+\d")


def _has_title(text: str) -> bool:
    """Whether an honorific could be in the text (a substring test, far cheaper than the pattern)."""
    return any(title in text for title in _TITLES)


# Compiled each when first used: a scan process that meets no title or age never compiles those
# (compiling all five cost ~6 ms, a tenth of a warm pre-commit scan).
_TRIGGER = lazy(
    rf"(?<![\w-])(?:(?P<strong>{_POSSESSIVE}[ \t]+(?:(?:new|former|current|late|estranged|little"
    rf"|teenage|adult|older|younger|eldest|youngest|oldest|two|three|\d+-year-old)[ \t]+)*{_FAMILY}"
    r"(?:['’]s[ \t]+names?(?:[ \t]+(?:is|was))?)?"
    rf"|{_NAMING}|{_KIN_TITLE})|(?P<weak>{_ROLE}))(?![\w-])"
    # "perpetrator, Darren", "victim: Leanne", "perpetrator is Jason", "son Tyler"
    r"(?P<gap>[ \t]*[,:=(\-–—][ \t]*|[ \t]+(?:(?:is|was|named|called)[ \t]+)?)"
)
_NAME_AT = lazy(rf"(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,2}})(?P<age>{_AGE})?")
_HONORIFIC = lazy(
    rf"(?<![\w-])(?P<title>Mrs|Mr|Ms|Miss|Mx|Master)\.?[ \t]+(?P<name>{_WORD}(?:[ \t]+{_WORD})?)"
    rf"(?P<age>{_AGE})?"
)
_AGED = lazy(rf"(?<![\w'’-])(?P<name>{_WORD}(?:[ \t]+{_WORD})?)(?P<age>{_AGE})")
_SEPARATOR = lazy(r"[ \t]*(?:,|&|\band\b|,[ \t]*and\b)[ \t]*(?=[A-ZÀ-Þ])")


@cache
def forenames() -> frozenset[str]:
    """The forename list shipped with the package."""
    lines = _DATA.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def mask_name(name: str, age: str = "") -> str:
    """Keep each word's first letter and the age: "Tyler Hughes (6)" -> "T**** H***** (6)"."""
    out = []
    for i, ch in enumerate(name):
        first = i == 0 or not name[i - 1].isalpha()
        out.append(ch if first or not ch.isalpha() else "*")
    return "".join(out) + age


def _lowered(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return text.translate({c: c + 32 for c in range(65, 91)})  # offsets must not move


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


class _Checker:
    """Per-text state: the text, and the lines found to be staff lines (checked once each)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._staff: dict[int, bool] = {}

    @property
    def names(self) -> frozenset[str]:
        """The forename list, read only when a candidate needs it (most texts have none)."""
        return forenames()

    def staff_line(self, pos: int) -> bool:
        start, end = _line_bounds(self.text, pos)
        known = self._staff.get(start)
        if known is None:
            known = _STAFF_LINE.match(self.text, start, min(end, start + 120)) is not None
            self._staff[start] = known
        return known

    def words(self, name: str) -> list[str]:
        return name.split()

    def excluded(self, start: int, end: int) -> bool:
        """A place, organisation, law or staff member rather than a person in a case."""
        text = self.text
        after = text[end : end + 40]
        nxt = re.match(r"(?:['’]s)?[ \t]+([A-Z][A-Za-z]+)", after)
        if nxt and nxt.group(1) in _ORG_AFTER:
            return True
        if re.match(r"['’]s?[ \t]+(?:[Ll]aw|[Pp]rinciple|[Ss]cheme)\b", after):
            return True
        line_start, _ = _line_bounds(text, start)
        if _PLACE_BEFORE.search(text[max(line_start, start - 8) : start]):
            return True
        if _ROLE_AFTER.match(text, end, end + 60):
            return True
        return self.staff_line(start)

    def trim(self, name: str) -> str:
        """The name without trailing words that are not names ("Tyler Services" -> "Tyler")."""
        words = name.split()
        while len(words) > 1 and (words[-1] in _NOT_NAMES or words[-1] in _ORG_AFTER):
            words.pop()
        return " ".join(words)

    def plausible(self, name: str, age: str, strong: bool) -> bool:
        """Whether the words after a trigger are a person's name."""
        words = name.split()
        first = words[0]
        if first in _NOT_NAMES or first.upper() == first:
            return False
        if any(w in _NOT_NAMES for w in words):
            return False
        known = first in self.names and first not in _ORDINARY
        if strong or age:
            return True
        if known:
            return True
        # Two words after a role word ("the victim, Adaeze Okafor", "Perpetrator: Lee Barton"): a
        # forename the list lacks, or one that is also an ordinary word.
        return len(words) >= 2 and words[1] not in _ORDINARY


def find_person_names(text: str) -> list[NameHit]:
    """Names in a survivor, child or perpetrator context, masked, in order and without overlaps."""
    if not text:
        return []
    kept: list[NameHit] = []
    # Of overlapping hits ("her son Tyler (6)" is found from "son" and from the age) the earliest,
    # then the longest, stays.
    for hit in sorted(set(_candidates(text)), key=lambda h: (h.start, h.start - h.end)):
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _candidates(text: str) -> Iterator[NameHit]:
    check = _Checker(text)
    low = _lowered(text)
    for m in _TRIGGER.finditer(low):
        if not text[m.end() : m.end() + 1].isupper():
            continue  # searched in lower case: the name's capital is checked in the text
        yield from _after_trigger(check, m.end(), m.group("strong") is not None)
    for m in _HONORIFIC.finditer(text) if _has_title(text) else ():
        name = check.trim(m.group("name"))
        words = name.split()
        if words[0] in _NOT_NAMES or (words[0] in _ORDINARY and not m.group("age")):
            continue
        if m.group("title") == "Master" and words[0] not in check.names:
            continue  # "Master Plan"
        end = m.start("name") + len(name)
        age = (m.group("age") or "") if name == m.group("name") else ""
        end += len(age)
        if check.excluded(m.start(), m.start("name") + len(name)):
            continue
        title = text[m.start() : m.start("name")]
        yield NameHit(m.start(), end, title + mask_name(name, age))
    for m in _AGED.finditer(text) if _AGE_HINT.search(text) else ():
        name, age = m.group("name"), m.group("age")
        words = name.split()
        first = words[0]
        if first in _NOT_NAMES or any(w in _NOT_NAMES for w in words):
            continue
        explicit = "aged" in age.lower() or "old" in age.lower() or "month" in age.lower()
        # An ordinary word is a forename when a surname follows ("Ruby Ellison, 14").
        known = first in check.names or (len(words) > 1 and first in _ORDINARY)
        if not (known or explicit) or first in _MONTHS:
            continue
        if check.excluded(m.start(), m.end("name")):
            continue
        yield NameHit(m.start(), m.end(), mask_name(name, age))


def _after_trigger(check: _Checker, pos: int, strong: bool) -> Iterator[NameHit]:
    """The name, or list of names ("Tyler (6) and Mia (4)"), that starts at pos."""
    text = check.text
    first = True
    while True:
        m = _NAME_AT.match(text, pos)
        if m is None:
            return
        name = check.trim(m.group("name"))
        age = (m.group("age") or "") if name == m.group("name") else ""
        if not check.plausible(name, age, strong or not first):
            return
        end = m.start() + len(name) + len(age)
        if check.excluded(m.start(), m.start() + len(name)):
            return
        yield NameHit(m.start(), end, mask_name(name, age))
        first = False
        sep = _SEPARATOR.match(text, end)
        if sep is None:
            return
        pos = sep.end()
