"""Publish RDF files to a SPARQL 1.1 store and query it remotely.

Modules: ``errors`` (PublishError), ``credentials`` (Credentials, resolve_credentials, redact_url),
``endpoint`` (Endpoint and server layouts), ``client`` (HTTP with retries), ``sources`` (the accepted
formats, reading, splitting and chunking the files), ``upload`` (publish: append or replace, verify),
``dataset`` (which graph each file, named graph and build directory goes to; publish_all) and
``remote`` (remote SELECT/ASK queries). Standard library only; rdflib is imported where needed.
"""

from plan2rdf.publish.client import Row
from plan2rdf.publish.credentials import ENV_PASSWORD, ENV_TOKEN, ENV_USER, Credentials, redact_url, resolve_credentials
from plan2rdf.publish.dataset import GraphTarget, build_outputs, plan_targets, publish_all
from plan2rdf.publish.endpoint import Endpoint, Layout
from plan2rdf.publish.errors import PublishError
from plan2rdf.publish.remote import named_graphs, query
from plan2rdf.publish.sources import (
    ACCEPTED_FORMATS,
    NAMED_GRAPH_FORMATS,
    REFUSED_FORMATS,
    TRIPLE_FORMATS,
    accepted_formats_text,
)
from plan2rdf.publish.upload import TEMPORARY_MARK, Mode, PublishReport, UploadProgress, publish

__all__ = [
    "ACCEPTED_FORMATS",
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "NAMED_GRAPH_FORMATS",
    "REFUSED_FORMATS",
    "TEMPORARY_MARK",
    "TRIPLE_FORMATS",
    "Credentials",
    "Endpoint",
    "GraphTarget",
    "Layout",
    "Mode",
    "PublishError",
    "PublishReport",
    "Row",
    "UploadProgress",
    "accepted_formats_text",
    "build_outputs",
    "named_graphs",
    "plan_targets",
    "publish",
    "publish_all",
    "query",
    "redact_url",
    "resolve_credentials",
]
