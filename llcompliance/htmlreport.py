"""Readiness report as one self-contained, script-free HTML page for boards and commissioners."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from llcompliance.markdown import render_markdown

# Every report value goes through _e(); class names and icons come only from these tables, never
# from the data, so a hostile report can add neither attributes nor markup.
STATES = {
    "ready": ("Ready", "✓"),
    "attention": ("Needs attention", "!"),
    "gap": ("Gap", "✕"),
}
ICONS = {token: icon for token, (_, icon) in STATES.items()}
STATE_MEANINGS = {
    "ready": "Self-assessed as met, with supporting evidence that is valid, in date and found.",
    "attention": "Evidence exists, but something needs care: work in progress, or evidence that is "
    "expired, invalid or due for review soon.",
    "gap": "No valid, in-date supporting evidence yet.",
}
REASON_HEADINGS = {
    "ready": "Why it is ready",
    "attention": "What needs attention",
    "gap": "What is missing",
}
STATUSES = {"met": "Met", "in-progress": "In progress", "not-started": "Not started"}
EVIDENCE_STATES = {
    "ok": ("In date", "ready"),
    "due-soon": ("Due for review soon", "attention"),
    "expired": ("Expired", "gap"),
    "invalid": ("Invalid", "gap"),
    "unresolved": ("Not found", "gap"),
}
OUTCOMES = {
    "met": ("Met", "ready"),
    "further-evidence": ("Further evidence needed", "attention"),
    "not-met": ("Not met", "gap"),
}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
NAMESPACE = "readiness-report@llcompliance"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

Report = Mapping[str, Any]
Group = tuple[Mapping[str, Any], list[Mapping[str, Any]]]


def _e(value: object) -> str:
    """Escape any report value for HTML text or a quoted attribute; None becomes empty."""
    return "" if value is None else escape(str(value), quote=True)


def _map(value: object) -> Mapping[str, Any]:
    """Read a value that should be an object, tolerating its absence."""
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    """Read a value that should be a list, tolerating its absence."""
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []


def _int(value: object) -> int:
    """Read a count, tolerating its absence."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _if(condition: object, html: str) -> str:
    """Include a fragment only when there is something to show."""
    return html if condition else ""


def long_date(iso: object) -> str:
    """Write an ISO date the British way ("23 November 2026"), whatever the locale."""
    try:
        day = date.fromisoformat(str(iso))
    except ValueError:
        return str(iso or "")
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _looks_like_path(location: object) -> bool:
    """Tell a repo path ("policies/x.md") from a record system ("Case system > Audits")."""
    text = str(location or "")
    return bool(text) and not any(char.isspace() for char in text) and ("/" in text or "." in text)


def _state(state: object) -> tuple[str, str, str]:
    """Return (css token, label, icon) for a standard's state; unknown states stay visible."""
    key = str(state)
    if key in STATES:
        label, icon = STATES[key]
        return key, label, icon
    return "unknown", key or "Unknown", "?"


def _pill(token: str, label: str) -> str:
    """A small state label: icon and words, never colour alone."""
    return (
        f'<span class="pill pill-{token}"><span class="icon" aria-hidden="true">'
        f"{ICONS.get(token, '?')}</span>{_e(label)}</span>"
    )


def _plural(count: int, one: str, many: str) -> str:
    """'1 standard is a gap', '3 standards are gaps'."""
    return f"{count} {one if count == 1 else many}"


def _counts(standards: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Count standards by state, for reports that carry no summary."""
    counts = {"total": 0, "ready": 0, "attention": 0, "gap": 0}
    for standard in standards:
        counts["total"] += 1
        state = str(standard.get("state"))
        if state in STATES:
            counts[state] += 1
    return counts


def _bar(counts: Mapping[str, Any], *, large: bool = False) -> str:
    """A stacked ready / attention / gap bar with its numbers written in and an accessible label."""
    total = _int(counts.get("total"))
    segments, words = [], []
    for token, (label, icon) in STATES.items():
        count = _int(counts.get(token))
        words.append(f"{count} {label.lower()}")
        if count and total:
            width = f"{100 * count / total:.3f}".rstrip("0").rstrip(".")
            segments.append(
                f'<span class="seg seg-{token}" style="width:{width}%">'
                f'<span class="icon">{icon}</span>{count}</span>'
            )
    size = " bar-large" if large else ""
    aria = _e(", ".join(words) + f" (of {total})")
    return f'<div class="bar{size}" role="img" aria-label="{aria}">{"".join(segments)}</div>'


def _head(report: Report) -> str:
    """The document head: metadata, the strict CSP, and all the styling."""
    service = _map(report.get("service"))
    tool = _map(report.get("tool"))
    name = _map(report.get("framework")).get("short_name") or "Leading Lights"
    title = f"{name} readiness: {service.get('name') or 'service'}"
    return f"""<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<meta name="generator" content="{_e(tool.get("name"))} {_e(tool.get("version"))}">
<title>{_e(title)}</title>
<style>{STYLE}</style>
</head>"""


def _header(report: Report) -> str:
    """Masthead: who, against which framework, as of when, from which commit."""
    service = _map(report.get("service"))
    framework = _map(report.get("framework"))
    commit = str(_map(report.get("source")).get("commit") or "")
    tool = _map(report.get("tool"))
    as_of = report.get("as_of")
    framework_id = f"({_e(framework.get('id'))} {_e(framework.get('version'))})"
    facts = [
        ("Framework", f'{_e(framework.get("title") or framework.get("id"))} '
         f'<span class="muted-inv">{framework_id}</span>'),
        ("Evidence as of", f'<time datetime="{_e(as_of)}">{_e(long_date(as_of))}</time>'),
        ("Source commit", f'<code title="{_e(commit)}">{_e(commit[:7]) or "unknown"}</code>'),
        ("Produced by", f"{_e(tool.get('name'))} {_e(tool.get('version'))}"),
    ]  # fmt: skip
    items = "".join(f"<div><dt>{name}</dt><dd>{value}</dd></div>" for name, value in facts)
    organisation = service.get("organisation")
    return f"""<header class="masthead">
<div class="page">
<p class="kicker">{_e(_map(report.get("framework")).get("short_name") or "Leading Lights")} accreditation · readiness report</p>
<h1>{_e(service.get("name") or "Unnamed service")}</h1>
{_if(organisation, f'<p class="org">{_e(organisation)}</p>')}
<dl class="meta">{items}</dl>
</div>
</header>"""


def _legend() -> str:
    """What the three states mean, in words and icons."""
    rows = "".join(
        f"<li>{_pill(token, label)}<span>{_e(STATE_MEANINGS[token])}</span></li>"
        for token, (label, _) in STATES.items()
    )
    return f'<ul class="legend" aria-label="Key">{rows}</ul>'


def _section_bars(groups: Sequence[Group]) -> str:
    """One labelled bar per section (counted from the standards if the report has no counts)."""
    rows = []
    for section, standards in groups:
        counts = section if "total" in section else _counts(standards)
        rows.append(
            f'<li><a class="section-name" href="#section-{_e(section.get("id"))}">'
            f"{_e(section.get('title') or section.get('id'))}</a>"
            f'<span class="section-count"><strong>{_int(counts.get("ready"))}</strong> of '
            f"{_int(counts.get('total'))} ready</span>{_bar(counts)}</li>"
        )
    heading = '<h2 class="minor">By section</h2>'
    return _if(rows, f'{heading}<ul class="section-bars">{"".join(rows)}</ul>')


def _overview(groups: Sequence[Group], summary: Mapping[str, Any]) -> str:
    """The headline figure, the overall bar, the key and one bar per section."""
    total, ready = _int(summary.get("total")), _int(summary.get("ready"))
    attention, gap = _int(summary.get("attention")), _int(summary.get("gap"))
    rest = (
        f"{_plural(attention, 'standard needs', 'standards need')} attention · "
        f"{_plural(gap, 'standard is a gap', 'standards are gaps')}"
    )
    return f"""<section class="card overview" aria-labelledby="overview-title">
<h2 id="overview-title" class="figure"><span class="num">{ready}</span> of {total} \
standards ready</h2>
<p class="sub">{rest}</p>
{_bar(summary, large=True)}
{_legend()}
{_section_bars(groups)}
</section>"""


def _tile(standard: Mapping[str, Any]) -> str:
    """One standard as a coloured tile that links to its detail."""
    token, label, icon = _state(standard.get("state"))
    ident = _e(standard.get("id"))
    return (
        f'<li><a class="tile tile-{token}" href="#{ident}" data-standard="{ident}">'
        f'<span class="tile-top"><span class="tile-id">{ident}</span>'
        f'<span class="icon" aria-hidden="true">{icon}</span></span>'
        f'<span class="tile-title">{_e(standard.get("title"))}</span>'
        f'<span class="tile-state">{_e(label)}</span></a></li>'
    )


def _tiles(groups: Sequence[Group]) -> str:
    """All standards as tiles, grouped by section."""
    blocks = "".join(
        f'<h3 class="tiles-heading">{_e(section.get("title") or section.get("id"))}</h3>'
        f'<ul class="tiles">{"".join(_tile(s) for s in standards)}</ul>'
        for section, standards in groups
    )
    return f"""<section class="card" id="standards-overview" aria-labelledby="tiles-title">
<h2 id="tiles-title" class="minor">All standards at a glance</h2>
{blocks}
</section>"""


def _evidence_row(item: Mapping[str, Any]) -> str:
    """One policy or evidence item as a table row."""
    state = str(item.get("state"))
    label, token = EVIDENCE_STATES.get(state, (state, "unknown"))
    kind, how, due = item.get("kind"), item.get("how"), item.get("review_due")
    changed = item.get("last_changed")
    location = item.get("location") or item.get("path")
    where = _e(location)
    if _looks_like_path(location):
        # Let long paths wrap after a slash rather than mid-word.
        where = f"<code>{where.replace('/', '/<wbr>')}</code>"
    return (
        f'<tr><td><span class="ev-title">{_e(item.get("title"))}</span>'
        f'<span class="ev-ref"><code class="ev-id">{_e(item.get("id"))}</code>'
        f"{_if(kind, f' · {_e(kind)}')}</span>"
        f"{_if(how, f'<span class=how>{_e(how)}</span>')}</td>"
        f"<td>{_pill(token, label)}</td>"
        f'<td class="nowrap">{_if(due, _e(long_date(due)))}'
        f"{_if(changed, f'<span class=how>last changed {_e(long_date(changed))}</span>')}</td>"
        f"<td>{where}</td></tr>"
    )


def _evidence(items: list[Any]) -> str:
    """The supporting policies and evidence of one standard as a table."""
    if not items:
        return '<p class="empty">No supporting policy or evidence is linked to it yet.</p>'
    head = "".join(
        f'<th scope="col" class="{css}">{name}</th>'
        for css, name in (
            ("c-item", "Policy or evidence"),
            ("c-state", "State"),
            ("c-due", "Review due"),
            ("c-where", "Where it is held"),
        )
    )
    rows = "".join(_evidence_row(item) for item in map(_map, items))
    return (
        f'<div class="table-scroll"><table class="evidence"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _findings(findings: list[Any]) -> str:
    """Validation findings for one standard's documents."""
    rows = []
    for finding in map(_map, findings):
        where = _e(finding.get("path")) + _if(finding.get("line"), f":{_e(finding.get('line'))}")
        rows.append(
            f'<li><span class="sev">{_e(finding.get("severity") or "finding")}</span> '
            f'<code>{where}</code> <span class="rule">{_e(finding.get("rule"))}</span> '
            f"{_e(finding.get('message'))}</li>"
        )
    return _if(rows, f'<h4>Findings</h4><ul class="findings">{"".join(rows)}</ul>')


def _assessment(assessment: object) -> str:
    """The assessor's outcome and comment, when there is one."""
    if not isinstance(assessment, Mapping):
        return ""
    outcome = str(assessment.get("outcome"))
    label, token = OUTCOMES.get(outcome, (outcome, "unknown"))
    when = assessment.get("date")
    who = " · ".join(_e(part) for part in (assessment.get("assessor"), long_date(when)) if part)
    comment = assessment.get("comment")
    return (
        f'<aside class="assessment"><h4>Assessor’s outcome</h4><p>{_pill(token, label)}'
        f"{_if(who, f' <span class=who>{who}</span>')}</p>"
        f"{_if(comment, f'<p>{_e(comment)}</p>')}</aside>"
    )


def _standard(standard: Mapping[str, Any], framework: Mapping[str, Any]) -> str:
    """Everything about one standard: statement, state and why, narrative, evidence, findings."""
    token, label, _ = _state(standard.get("state"))
    ident = _e(standard.get("id"))
    status = str(standard.get("status") or "")
    source = _e(framework.get("title") or "the standards document")
    publisher = framework.get("publisher")
    caption = (
        f"Standard {ident}, quoted from {_if(publisher, f'{_e(publisher)}, ')}<cite>{source}</cite>"
    )
    reasons = "".join(f"<li>{_e(reason)}</li>" for reason in _list(standard.get("reasons")))
    why = (
        f'<div class="reasons"><h4>{REASON_HEADINGS.get(token, "Why")}</h4><ul>{reasons}</ul></div>'
    )
    narrative = str(standard.get("narrative") or "").strip()
    story = (
        f'<div class="narrative">{render_markdown(narrative, heading_offset=3)}</div>'
        if narrative
        else '<p class="empty">No narrative written yet.</p>'
    )
    written_in = standard.get("self_assessment")
    where = f" · written in <code>{_e(written_in)}</code>"
    return f"""<article class="standard state-{token}" id="{ident}" aria-labelledby="{ident}-title">
<header class="std-head">
<span class="std-id">{ident}</span>
<h3 id="{ident}-title">{_e(standard.get("title"))}</h3>
{_pill(token, label)}
</header>
<figure class="statement">
<blockquote><p>{_e(standard.get("statement"))}</p></blockquote>
<figcaption>{caption}</figcaption>
</figure>
<p class="facts">Self-assessment: <strong>{_e(STATUSES.get(status, status or "not recorded"))}\
</strong>{_if(written_in, where)}</p>
{_if(reasons, why)}
<h4>How we meet it</h4>
{story}
<h4>Evidence</h4>
{_evidence(_list(standard.get("evidence")))}
{_findings(_list(standard.get("findings")))}
{_assessment(standard.get("assessment"))}
<p class="back"><a href="#standards-overview">Back to all standards</a></p>
</article>"""


def _groups(report: Report) -> list[Group]:
    """Standards grouped under their sections, in report order; strays go in a last group."""
    standards = [_map(s) for s in _list(report.get("standards"))]
    sections = [_map(s) for s in _list(report.get("sections"))]
    known = {section.get("id") for section in sections}
    groups = [
        (sec, [s for s in standards if s.get("section") == sec.get("id")]) for sec in sections
    ]
    strays = [s for s in standards if s.get("section") not in known]
    if strays:
        groups.append(({"id": "other", "title": "Other standards"}, strays))
    return [(section, members) for section, members in groups if members]


def _details(groups: Sequence[Group], framework: Mapping[str, Any]) -> str:
    """Per section: its spirit, then each standard in full."""
    blocks = []
    for section, standards in groups:
        counts = _counts(standards)
        spirit = section.get("spirit")
        label = '<span class="spirit-label">Spirit of the section</span>'
        blocks.append(
            f'<section class="details" id="section-{_e(section.get("id"))}">'
            f'<header class="section-head"><h2>{_e(section.get("title") or section.get("id"))}</h2>'
            f'<p class="section-count">{counts["ready"]} of {counts["total"]} ready</p></header>'
            f"{_if(spirit, f'<p class=spirit>{label}{_e(spirit)}</p>')}"
            f"{''.join(_standard(s, framework) for s in standards)}</section>"
        )
    return "".join(blocks)


def _footer(report: Report) -> str:
    """Attribution, provenance and how to check the signature."""
    framework = _map(report.get("framework"))
    source = _map(report.get("source"))
    tool = _map(report.get("tool"))
    attribution = framework.get("attribution")
    return f"""<footer class="footer">
<div class="page">
{_if(attribution, f"<p>{_e(attribution)}</p>")}
<p>This page shows <code>readiness.json</code>, produced by {_e(tool.get("name"))} \
{_e(tool.get("version"))} from commit <code>{_e(source.get("commit"))}</code> \
(tree <code>{_e(source.get("tree"))}</code>) against {_e(framework.get("id"))} \
{_e(framework.get("version"))} (<code>{_e(framework.get("digest"))}</code>), \
as of {_e(long_date(report.get("as_of")))}.</p>
<h2>Check that this report is genuine</h2>
<p>The signature covers <code>readiness.json</code>, not this page. With the toolkit, in the \
evidence repository:</p>
<pre><code>llcompliance verify reports/ --allowed-signers .llcompliance/allowed_signers</code></pre>
<p>With OpenSSH alone, using the signer's <code>allowed_signers</code> line received separately \
(never from the pull request being assessed):</p>
<pre><code>ssh-keygen -Y verify -f allowed_signers -I SIGNER -n {NAMESPACE} \\
  -s readiness.json.sig &lt; readiness.json</code></pre>
</div>
</footer>"""


def render_html(report: Report) -> str:
    """Render a readiness report as one self-contained HTML page (no scripts, nothing fetched)."""
    groups = _groups(report)
    summary = _map(report.get("summary"))
    if not summary:
        summary = _counts(standard for _, members in groups for standard in members)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
{_head(report)}
<body>
{_header(report)}
<main class="page">
{_overview(groups, summary)}
{_tiles(groups)}
{_details(groups, _map(report.get("framework")))}
</main>
{_footer(report)}
</body>
</html>
"""


STYLE = """
/* Colour-blind-safe enough by design: a teal-leaning green and a red stay apart for deuteranopes,
   gaps are also hatched, and every state carries an icon and a word. */
:root{--ready:#0b6b54;--ready-ink:#fff;--attention:#f2b01e;--attention-ink:#1d1d1d;--gap:#b3261e;
--gap-ink:#fff;--unknown:#5f6673;--ink:#1c2230;--muted:#586070;--line:#d8dce4;--tint:#f3f4f7;
--navy:#1f2a44;
--hatch:repeating-linear-gradient(135deg,rgba(255,255,255,.13) 0 4px,transparent 4px 9px)}
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%;background:var(--navy)}
body{margin:0;background:var(--tint);color:var(--ink);
font:16px/1.5 system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
.page{max-width:70rem;margin:0 auto;padding:0 1.25rem}
main.page{padding-top:1.5rem;padding-bottom:2rem}
a{color:#1d4f91}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;
font-size:.88em;
overflow-wrap:anywhere}
h1,h2,h3,h4{line-height:1.25}
.masthead{background:var(--navy);color:#fff;padding:1.75rem 0 1.5rem;
border-bottom:6px solid var(--ready)}
.kicker{margin:0 0 .35rem;text-transform:uppercase;letter-spacing:.08em;font-size:.78rem;
color:#c9d3e8}
.masthead h1{margin:0;font-size:clamp(1.6rem,4vw,2.3rem)}
.org{margin:.2rem 0 0;font-size:1.1rem;color:#e3e8f3}
.meta{display:grid;grid-template-columns:minmax(16rem,2.2fr) repeat(3,minmax(9rem,1fr));
gap:.75rem 1.5rem;margin:1.25rem 0 0}
.meta dt{font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:#c9d3e8}
.meta dd{margin:0;font-weight:600}
.meta code{font-size:.95em}
.muted-inv{font-weight:400;color:#c9d3e8}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1.5rem;
margin:0 0 1.5rem;
box-shadow:0 1px 2px rgba(20,30,50,.06)}
.figure{margin:0;font-size:clamp(1.5rem,4.5vw,2.2rem);font-weight:700}
.figure .num{font-size:1.6em;color:var(--ready)}
.sub{margin:.15rem 0 1rem;color:var(--muted);font-size:1.05rem}
h2.minor{font-size:1.1rem;margin:1.5rem 0 .75rem}
#tiles-title{margin-top:0}
.bar{display:flex;height:1.6rem;border-radius:5px;overflow:hidden;background:#e6e8ee;
border:1px solid rgba(0,0,0,.08)}
.bar-large{height:2.6rem;font-size:1.1rem}
.seg{display:flex;align-items:center;justify-content:center;gap:.25em;font-weight:700;
font-size:.85em;
white-space:nowrap;overflow:hidden;min-width:1.9rem}
.bar-large .seg{min-width:3rem}
.seg-ready{background:var(--ready);color:var(--ready-ink)}
.seg-attention{background:var(--attention);color:var(--attention-ink)}
.seg-gap{background:var(--gap) var(--hatch);color:var(--gap-ink)}
.seg+.seg{border-left:2px solid #fff}
.legend{list-style:none;padding:0;margin:1rem 0 0;display:grid;gap:.5rem}
.legend li{display:flex;gap:.75rem;align-items:baseline}
.legend .pill{min-width:10.5rem;justify-content:flex-start}
.legend li>span:last-child{color:var(--muted);font-size:.95rem}
.pill{display:inline-flex;align-items:center;gap:.4em;padding:.1em .65em .1em .3em;
border-radius:999px;
font-weight:700;font-size:.85rem;white-space:nowrap;line-height:1.6}
.pill .icon{display:inline-flex;align-items:center;justify-content:center;width:1.25em;
height:1.25em;
border-radius:50%;background:rgba(255,255,255,.25);font-size:.9em}
.pill-ready{background:var(--ready);color:var(--ready-ink)}
.pill-attention{background:var(--attention);color:var(--attention-ink)}
.pill-attention .icon{background:rgba(0,0,0,.12)}
.pill-gap{background:var(--gap) var(--hatch);color:var(--gap-ink)}
.pill-unknown{background:var(--unknown);color:#fff}
.section-bars{list-style:none;padding:0;margin:0;display:grid;gap:.9rem}
.section-bars li{display:grid;grid-template-columns:minmax(10rem,16rem) 7.5rem 1fr;
gap:.35rem 1rem;
align-items:center}
.section-name{font-weight:600}
.section-count{color:var(--muted);font-size:.95rem}
.section-count strong{color:var(--ink)}
.tiles-heading{font-size:.85rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);
margin:1.25rem 0 .5rem}
.tiles{list-style:none;padding:0;margin:0;display:grid;
grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));
gap:.6rem}
.tile{display:flex;flex-direction:column;gap:.2rem;height:100%;padding:.6rem .7rem;
border-radius:8px;
text-decoration:none;border:2px solid transparent;min-height:6.2rem}
.tile:hover,.tile:focus{outline:3px solid #1d4f91;outline-offset:2px}
.tile-top{display:flex;justify-content:space-between;align-items:center}
.tile-id{font-weight:800;font-size:1.15rem;letter-spacing:.02em}
.tile .icon{display:inline-flex;align-items:center;justify-content:center;width:1.6rem;
height:1.6rem;
border-radius:50%;font-weight:800;background:rgba(255,255,255,.25)}
.tile-title{font-size:.85rem;line-height:1.3;flex:1;overflow-wrap:break-word}
.tile-state{font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em}
.tile-ready{background:var(--ready);color:var(--ready-ink)}
.tile-attention{background:var(--attention);color:var(--attention-ink)}
.tile-attention .icon{background:rgba(0,0,0,.12)}
.tile-gap{background:var(--gap) var(--hatch);color:var(--gap-ink)}
.tile-unknown{background:var(--unknown);color:#fff}
.details{margin-top:2.5rem}
.section-head{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;
gap:.25rem 1rem;
border-bottom:3px solid var(--navy);margin-bottom:.75rem}
.section-head h2{margin:0 0 .3rem;font-size:1.6rem}
.section-head .section-count{margin:0}
.spirit{margin:0 0 1.25rem;color:var(--muted);font-style:italic}
.spirit-label{display:block;font-style:normal;font-size:.75rem;text-transform:uppercase;
letter-spacing:.06em}
.standard{background:#fff;border:1px solid var(--line);border-left:8px solid var(--unknown);
border-radius:10px;
padding:1.25rem 1.5rem;margin:0 0 1.25rem;break-inside:avoid-page;scroll-margin-top:1rem}
.state-ready{border-left-color:var(--ready)}
.state-attention{border-left-color:var(--attention)}
.state-gap{border-left-color:var(--gap)}
.std-head{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem .75rem}
.std-head h3{margin:0;font-size:1.3rem;flex:1 1 14rem}
.std-id{font-weight:800;font-size:1.3rem;color:var(--navy)}
.statement{margin:1rem 0;padding:.75rem 1rem;background:var(--tint);border-radius:6px}
.statement blockquote{margin:0;font-size:1.05rem}
.statement blockquote p{margin:0}
.statement blockquote p::before{content:"\\201C"}
.statement blockquote p::after{content:"\\201D"}
.statement figcaption{margin-top:.35rem;color:var(--muted);font-size:.85rem}
.facts{margin:0 0 .5rem;color:var(--muted);font-size:.92rem}
.facts strong{color:var(--ink)}
.standard h4{margin:1.1rem 0 .4rem;font-size:1rem}
.reasons{background:#fff8e6;border:1px solid #f0d9a0;border-radius:6px;padding:.1rem 1rem .4rem;
margin-top:.75rem}
.state-gap .reasons{background:#fdeeed;border-color:#efc2bf}
.state-ready .reasons{background:#ebf5f1;border-color:#b5d8ca}
.reasons h4{margin:.6rem 0 .2rem}
.reasons ul{margin:0;padding-left:1.2rem}
.narrative{overflow-wrap:break-word}
.narrative>:first-child{margin-top:0}
.narrative blockquote{margin:.5rem 0;padding-left:1rem;border-left:3px solid var(--line);
color:var(--muted)}
.narrative table{border-collapse:collapse;margin:.5rem 0}
.narrative th,.narrative td{border:1px solid var(--line);padding:.3rem .6rem;text-align:left}
.narrative pre{overflow-x:auto;background:var(--tint);padding:.5rem}
.link-removed{text-decoration:underline dotted;color:var(--muted)}
.empty{color:var(--muted);font-style:italic;margin:.2rem 0}
.table-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);
border-radius:6px}
table.evidence{border-collapse:collapse;width:100%;min-width:46rem;font-size:.92rem}
.evidence .c-item{width:18rem}.evidence .c-state{width:9.5rem}
.evidence .c-due{width:8.5rem}
.evidence th{background:var(--tint);text-align:left;font-size:.78rem;text-transform:uppercase;
letter-spacing:.05em;color:var(--muted);white-space:nowrap}
.evidence code{overflow-wrap:normal}
.evidence th,.evidence td{padding:.5rem .7rem;border-bottom:1px solid var(--line);
vertical-align:top}
.evidence tr:last-child td{border-bottom:0}
.evidence .pill{font-size:.78rem}
.ev-title{display:block;font-weight:600}
.ev-ref{display:block;font-size:.8rem;color:var(--muted)}
.ev-id{white-space:nowrap}
.how{display:block;color:var(--muted);font-size:.85rem}
.nowrap{white-space:nowrap}
.findings{margin:0;padding-left:1.2rem}
.findings li{margin:.2rem 0}
.sev{font-size:.72rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;
padding:.05em .4em;border:1px solid currentColor;border-radius:3px}
.rule{font-weight:600}
.assessment{margin-top:1rem;padding:.25rem 1rem .5rem;border:1px dashed #8a93a6;border-radius:6px}
.assessment h4{margin:.6rem 0 .3rem}
.assessment p{margin:.3rem 0}
.who{color:var(--muted);font-size:.9rem;margin-left:.5rem}
.back{margin:1rem 0 0;font-size:.9rem}
.footer{background:var(--navy);color:#e3e8f3;padding:1.5rem 0 2rem;font-size:.92rem}
.footer h2{font-size:1.05rem;color:#fff;margin:1.25rem 0 .5rem}
.footer code{color:#fff}
.footer pre{background:#111a2e;color:#fff;padding:.75rem 1rem;border-radius:6px;overflow-x:auto;
white-space:pre-wrap;overflow-wrap:anywhere}
@media (max-width:52rem){.meta{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media (max-width:40rem){
.page{padding:0 .85rem}
.card{padding:1rem}
.standard{padding:1rem}
.section-bars li{grid-template-columns:1fr auto}
.section-bars .bar{grid-column:1/-1}
.legend li{flex-direction:column;gap:.2rem}
.tiles{grid-template-columns:repeat(auto-fill,minmax(7.5rem,1fr))}
.evidence .c-item{width:12.5rem}
/* Shadows at the edges that still hide content tell a reader the table scrolls sideways. */
.table-scroll{background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/2rem 100%
no-repeat local,linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/2rem 100% no-repeat
local,radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.2),transparent) left/.8rem 100% no-repeat
scroll,radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.2),transparent) right/.8rem 100%
no-repeat scroll}
}
@page{size:A4;margin:14mm 12mm}
@media print{
html{font-size:12px;background:#fff}
body{background:#fff;font-size:1rem}
.page{max-width:none;padding:0}
main.page{padding-top:0}
.masthead{padding:5mm 6mm}
.meta{grid-template-columns:minmax(16rem,2.2fr) repeat(3,minmax(9rem,1fr))}
.card,.standard{box-shadow:none}
.card{padding:1rem 1.25rem;margin-bottom:1rem}
#standards-overview{break-before:page}
.tiles{grid-template-columns:repeat(6,1fr);break-inside:avoid-page}
.tile{min-height:4.8rem;padding:.4rem .5rem}
.tiles-heading{margin:.75rem 0 .35rem;break-after:avoid-page}
.details{break-before:page;margin-top:0}
.standard{break-inside:avoid-page;padding:.9rem 1.1rem;margin-bottom:.9rem}
.std-head,.section-head,.spirit,h4{break-after:avoid-page}
.table-scroll{overflow:visible;border:0;background:none}
table.evidence{min-width:0}
tr{break-inside:avoid-page}
.back{display:none}
a{color:inherit;text-decoration:none}
.footer{break-before:page;background:#fff;color:var(--ink)}
.footer h2,.footer code{color:var(--ink)}
.footer pre{background:var(--tint);color:var(--ink)}
}
"""
