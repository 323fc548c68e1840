"""Settings from the environment (``ROUEI_*``), read once into one object.

Every setting is listed in the README; ``tests/test_config.py`` checks that it stays so.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROUEI_", env_file=None, extra="ignore")

    database_url: str = Field(
        default="sqlite:///rouei.db",
        description="SQLAlchemy URL of the store; SQLite file by default, "
        "postgresql+psycopg://user@host:5432/db for PostgreSQL.",
    )
    load_seed: bool = Field(
        default=True,
        description="Load the bundled dataset when the store is empty at start-up.",
    )
    admin_token: str | None = Field(
        default=None,
        description="Token for write endpoints (upload, merge, edit); unset means they are off.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL for shared rate-limit state across app processes.",
    )
    allow_private_fetch: bool = Field(
        default=False,
        description="Allow URL ingest from private, loopback and link-local addresses (tests only).",
    )
    fetch_timeout: float = Field(default=20.0, description="Seconds one fetch may take in all: connect, headers and body.")
    fetch_max_bytes: int = Field(default=20 * 2**20, description="Largest document fetched or uploaded.")
    public_url: str | None = Field(
        default=None,
        description="The site's address (https://rouei.example.jp), for absolute links in webhook deliveries.",
    )
    page_size: int = Field(default=25, description="Incidents per page on the home page.")
    hsts: bool = Field(default=False, description="Send Strict-Transport-Security (when served over TLS).")
    rate_limit: int = Field(
        default=600,
        description="Requests per minute per client on every page, the API, CSV and Atom "
        "(static files and /healthz are free); 0 turns it off.",
    )
    decode_isolated: bool = Field(
        default=False,
        description="Decode each document in a child process held to a CPU-time and a memory "
        "limit (app.extract.limits); past them the document fails alone.",
    )
    base_url: str | None = Field(
        default=None,
        description="The site's public address (https://rouei.example): every absolute URL "
        "(Atom ids and links, canonical links, redirects) starts with it, whatever Host a request names.",
    )
    allowed_hosts: str | None = Field(
        default=None,
        description="Comma-separated host names the site answers to (*.example.org allowed); any "
        "other Host is answered 400. Unset: every Host is answered, but only localhost names "
        "reach a URL the site builds.",
    )
    trusted_proxies: str | None = Field(
        default=None,
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto `rouei serve` believes; unset: none are.",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
