"""``plan2rdf serve``: the site, a read-only SPARQL 1.1 endpoint and the canned queries, live.

Plans (sources, a corpus or a build's output) are loaded once into pyoxigraph stores held by query
worker processes; the site is rendered in memory by the site package. Modules: ``data`` (what is
served), ``worker`` and ``pool`` (queries in killable processes, with a deadline and a size cap),
``checks`` (updates and SERVICE refused), ``negotiate`` (Accept), ``results`` (SPARQL result formats),
``rdf``, ``context``, ``endpoint`` (/sparql), ``files`` (the site, negotiated), ``pages`` and ``live``
(query pages and the editor), ``app`` (Starlette routes) and ``runner`` (uvicorn). Starlette and
uvicorn are the optional ``serve`` extra: nothing here imports them until the server starts.
"""

from plan2rdf.serve.runner import WebStackMissing, prepare, require_web_stack, run

__all__ = ["WebStackMissing", "prepare", "require_web_stack", "run"]
