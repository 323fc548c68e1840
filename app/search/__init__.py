"""Search: filters from the query string, pages of results, facet counts, the full-text index.

Two seams: the text side is pure (``query``: what a user typed → a ParsedQuery, tokenised
once; ``document``: an incident → its index terms), and the database side is one ``Engine``
value per engine (``sqlite``, ``postgres``) that ``match``, ``index`` and ``columns`` are
written against. ``filters`` holds each facet as one value; ``service.find_incidents`` puts
it together for the page, the htmx fragment and the API.
"""

from app.search.cache import CACHE, LRU
from app.search.filters import (
    FACETS,
    MAX_PAGE,
    MAX_REQUEST_CHARS,
    SORTS,
    Chip,
    Facet,
    Filters,
)
from app.search.index import (
    SEARCH_PAGE_INDEXES,
    alembic_include_object,
    bump_stamp,
    reindex_all,
    reindex_incident,
    reindex_incidents,
    search_stamp,
)
from app.search.match import Ranking, incident_filter, matching_ids, ranking
from app.search.query import MAX_PARSED_QUERY_CHARS, ParsedQuery, QueryError, Term, parse_query
from app.search.service import (
    ChartData,
    IncidentPage,
    chart_data,
    find_incidents,
    incident_ids,
    surviving_incident,
    warm,
)
from app.search.snippets import snippets

__all__ = [
    "CACHE", "ChartData", "FACETS", "LRU", "MAX_PAGE", "MAX_PARSED_QUERY_CHARS", "MAX_REQUEST_CHARS",
    "SEARCH_PAGE_INDEXES", "SORTS", "Chip", "Facet", "Filters", "IncidentPage",
    "ParsedQuery", "QueryError", "Ranking", "Term", "alembic_include_object", "bump_stamp",
    "chart_data", "find_incidents", "incident_filter", "incident_ids", "matching_ids", "parse_query",
    "ranking", "reindex_all", "reindex_incident", "reindex_incidents", "search_stamp", "snippets",
    "surviving_incident", "warm",
]
