"""The incident, organisation and vendor views, each computed once as plain values.

The HTML pages (``app.web.pages``), the JSON API (``app.web.api``), CSV and Atom render these
values and run no queries of their own, so they cannot disagree: the same related incidents
in the same order, the same legal verdicts, the same incidents of an organisation or vendor.
Services take a session and never commit. Words live in ``app.i18n``; the rules live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app import i18n, ppc, revisions
from app.ingest.merge import Version
from app.ingest.store import fact_history
from app.models import Incident, IncidentEvent, IncidentSource, Organization, Source
from app.revisions import RevisionView
from app.text import slugify

# Related incidents of each kind (same organisation, same vendor), newest first.
RELATED_LIMIT = 20


def delay_days(start: date | None, end: date | None) -> int | None:
    """Days from ``start`` to ``end`` (discovery to disclosure), None when either is unknown."""
    return (end - start).days if start and end else None


def alive() -> Any:
    """Incidents not merged into another."""
    return col(Incident.merged_into_id).is_(None)


def by_date(query: Any) -> Any:
    """Newest first: by disclosure, then discovery (unknown dates last on every engine), then id."""
    return query.order_by(col(Incident.disclosed_on).desc().nulls_last(),
                          col(Incident.discovered_on).desc().nulls_last(), col(Incident.id).desc())


# ---- the timeline and the legal windows ----


@dataclass(frozen=True)
class Step:
    key: str
    day: date
    gap: int | None  # days since the previous step


def timeline_steps(incident: Incident, ppc_dates: list[date]) -> list[Step]:
    """The incident's own timeline from its facts, in date order, with the gaps between steps."""
    found = [(k, getattr(incident, k)) for k in (
        "exposure_from", "exposure_to", "discovered_on", "containment_on", "reported_to_ppc_on",
        "reported_to_police_on", "disclosed_on")]
    if len(ppc_dates) > 1:
        found.append(("ppc_final", ppc_dates[-1]))
    order = {k: n for n, (k, _) in enumerate(found)}
    dated = sorted(((k, d) for k, d in found if d), key=lambda kd: (kd[1], order[kd[0]]))
    steps, previous = [], None
    for key, day in dated:
        steps.append(Step(key, day, (day - previous).days if previous else None))
        previous = day
    return steps


@dataclass(frozen=True)
class LegalCheck:
    """One line of the PPC obligation (app.ppc), in no language (``words`` puts it in one): the
    duty to report (``required``) and each deadline (``preliminary`` 速報, ``final`` 確報)."""

    rule: str  # "required", "preliminary" or "final"
    verdict: str  # not_required | on_time | late | unknown — shown as words, colour only repeats it
    reason: str  # required: triggered | no_trigger | before_duty | open; a deadline: its missing fact or "reported"
    article: str
    window_days: int | None = None
    gap: int | None = None  # R−D: days from discovery to the report judged
    deadline: date | None = None  # D+N
    deadline_of: ppc.Deadline | None = None
    obligation: ppc.Obligation | None = None

    def words(self, lang: str = "ja") -> Check:
        if self.deadline_of is not None:
            d = self.deadline_of
            rule, detail = i18n.deadline_text(d.rule, d.article, d.verdict, d.window_days, d.window_alt,
                                              d.discovered, d.due, d.reported, d.missing, lang)
            return Check(rule, self.verdict, detail)
        ob = self.obligation
        assert ob is not None  # noqa: S101 - a "required" line always carries its obligation
        rule, detail = i18n.required_text(ob.required, ob.reason, [t.key for t in ob.triggers if t.fires],
                                          [t.missing for t in ob.triggers if t.fires is None and t.missing], lang)
        return Check(rule, self.verdict, detail, [
            i18n.trigger_text(t.key, t.fires, t.facts, t.missing, t.article, lang) for t in ob.triggers]
            if ob.reason != "before_duty" else [])


@dataclass(frozen=True)
class Check:
    """A legal check as one language says it."""

    rule: str
    verdict: str
    detail: str
    triggers: list[str] = field(default_factory=list)  # the four triggers, one line each


def legal_verdicts(incident: Any) -> list[LegalCheck]:
    """The duty to report and its 速報 and 確報 deadlines (app.ppc), where facts allow."""
    ob = ppc.obligation(incident)
    # The first line carries the verdict of the whole: what the facet and the charts count.
    checks = [LegalCheck("required", ob.verdict, ob.reason, "施行規則第7条", obligation=ob)]
    for d in ob.deadlines:
        checks.append(LegalCheck(d.rule, d.verdict, d.missing or "reported", d.article, d.window_days,
                                 d.gap, d.due, deadline_of=d))
    return checks


def legal_checks(incident: Any, lang: str = "ja") -> list[Check]:
    """The verdicts of ``legal_verdicts`` in words of one language."""
    return [c.words(lang) for c in legal_verdicts(incident)]


# ---- one incident ----


@dataclass(frozen=True)
class Related:
    """Live incidents of the same organisation and of the same vendor, each newest first."""

    organization: list[Incident]
    vendor: list[Incident]

    def all(self) -> list[Incident]:
        """Same organisation first, then same vendor; each incident once."""
        seen: dict[int | None, Incident] = {}
        for inc in (*self.organization, *self.vendor):
            seen.setdefault(inc.id, inc)
        return list(seen.values())


def related_incidents(session: Session, incident: Incident, *, limit: int = RELATED_LIMIT) -> Related:
    """The organisation is its row when known, else its name without legal form."""
    others = (alive(), Incident.id != incident.id)
    same_org = (Incident.organization_id == incident.organization_id if incident.organization_id
                else Incident.organization_core == incident.organization_core if incident.organization_core
                else None)
    org = list(session.exec(by_date(select(Incident).where(*others, same_org)).limit(limit))) \
        if same_org is not None else []
    vendor = list(session.exec(by_date(select(Incident).where(
        *others, Incident.vendor == incident.vendor)).limit(limit))) if incident.vendor else []
    return Related(org, vendor)


@dataclass(frozen=True)
class SourceRef:
    n: int  # 出典1, 出典2 … in the order shown
    link: IncidentSource
    source: Source


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    organization: Organization | None
    sources: list[SourceRef]
    events: list[IncidentEvent]
    ppc_dates: list[date]  # every report to the PPC, the first (速報) to the last (確報)
    steps: list[Step]
    checks: list[LegalCheck]  # the duty to report first, then the 速報 and 確報 deadlines
    related: Related
    history: dict[str, list[Version]]  # each fact as every source gave it (merge.history)
    corrections: dict[str, RevisionView]  # facts a person pinned, with who and why
    suggestions: list[RevisionView]  # parsed values a pinned fact did not take
    revisions: list[RevisionView]  # every revision, newest first

    @property
    def delay_days(self) -> int | None:
        return delay_days(self.incident.discovered_on, self.incident.disclosed_on)

    @property
    def vendor_slug(self) -> str | None:
        return slugify(self.incident.vendor) if self.incident.vendor else None


def incident_view(session: Session, incident: Incident) -> IncidentView:
    """Everything the incident page and ``/api/incidents/{slug}`` show of one live incident."""
    rows = session.exec(select(IncidentSource, Source).join(Source)
                        .where(IncidentSource.incident_id == incident.id)
                        .order_by(col(Source.published_on).nulls_last(), col(Source.id),
                                  col(IncidentSource.id))).all()
    events = list(session.exec(select(IncidentEvent).where(IncidentEvent.incident_id == incident.id)
                               .order_by(col(IncidentEvent.date).nulls_last(), col(IncidentEvent.id))))
    ppc_dates = ppc.ppc_dates(incident)  # the stored facts, as the stored verdict reads them
    org = session.get(Organization, incident.organization_id) if incident.organization_id else None
    return IncidentView(
        incident=incident, organization=org,
        sources=[SourceRef(n, link, src) for n, (link, src) in enumerate(rows, start=1)],
        events=events, ppc_dates=ppc_dates, steps=timeline_steps(incident, ppc_dates),
        checks=legal_verdicts(incident), related=related_incidents(session, incident),
        history=fact_history(session, incident), corrections=revisions.facts_state(session, incident),
        suggestions=revisions.suggestions(session, incident), revisions=revisions.history(session, incident))


# ---- organisations and vendors ----


@dataclass(frozen=True)
class Totals:
    count: int
    records: int  # the sum of the known counts
    records_known: int
    cards: int
    cards_known: int
    first: date | None
    last: date | None
    gaps: list[int]  # days between one incident and the next


def totals(incidents: list[Incident]) -> Totals:
    known = [i.records_max for i in incidents if i.records_max is not None]
    cards = [i.card_records for i in incidents if i.card_records is not None]
    dates = sorted(d for i in incidents if (d := i.disclosed_on or i.discovered_on))
    return Totals(count=len(incidents), records=sum(known), records_known=len(known),
                  cards=sum(cards), cards_known=len(cards),
                  first=dates[0] if dates else None, last=dates[-1] if dates else None,
                  gaps=[(b - a).days for a, b in zip(dates, dates[1:], strict=False)])


@dataclass(frozen=True)
class OrgView:
    org: Organization
    incidents: list[Incident]  # live, newest first
    totals: Totals
    vendors: list[tuple[str, str]]  # (name, slug)


def org_view(session: Session, slug: str) -> OrgView | None:
    org = session.exec(select(Organization).where(Organization.slug == slug)).first()
    if org is None:
        return None
    incidents = list(session.exec(by_date(select(Incident).where(
        Incident.organization_id == org.id, alive()))))
    vendors = sorted({i.vendor for i in incidents if i.vendor})
    return OrgView(org, incidents, totals(incidents), [(v, slugify(v)) for v in vendors])


@dataclass(frozen=True)
class OrgHit:
    """One organisation hit through a vendor, with its incidents."""

    org: Organization | None
    name: str
    incidents: list[Incident]


@dataclass(frozen=True)
class VendorView:
    name: str
    slug: str
    incidents: list[Incident]  # live, newest first, under every spelling with this slug
    orgs: list[OrgHit]
    totals: Totals

    @property
    def organizations(self) -> list[str]:
        return sorted(o.name for o in self.orgs if o.name)


def vendor_view(session: Session, slug: str) -> VendorView | None:
    names = session.exec(select(Incident.vendor).where(col(Incident.vendor).is_not(None), alive())
                         .distinct()).all()
    matching = sorted(n for n in names if n and slugify(n) == slug)
    if not matching:
        return None
    incidents = list(session.exec(by_date(select(Incident).where(col(Incident.vendor).in_(matching), alive()))))
    org_ids = {i.organization_id for i in incidents if i.organization_id}
    orgs = {o.id: o for o in session.exec(select(Organization).where(col(Organization.id).in_(org_ids)))}
    hits: dict[str, OrgHit] = {}
    for inc in incidents:
        org = orgs.get(inc.organization_id)
        name = org.name if org else (inc.organization or inc.organization_core or "")
        hits.setdefault(name, OrgHit(org, name, [])).incidents.append(inc)
    return VendorView(matching[0], slug, incidents, list(hits.values()), totals(incidents))
