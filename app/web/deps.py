"""What every web route shares: one database session per request."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.db import describe, unavailable

log = logging.getLogger("rouei.web")


def get_session(request: Request) -> Iterator[Session]:
    session = Session(request.app.state.engine)
    try:
        yield session
    finally:
        # The session is closed after the answer has started: a connection that the database
        # dropped meanwhile (a restart) must not turn a sent answer into an error. The pool
        # has already thrown that connection away.
        try:
            session.close()
        except DBAPIError as exc:
            if unavailable(exc) is None:
                raise
            log.warning("a request's connection was lost as it closed: %s", describe(exc))


SessionDep = Annotated[Session, Depends(get_session)]
