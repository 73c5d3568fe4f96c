"""Publish RDF files into a graph of a SPARQL 1.1 store: append, or replace atomically, then verify.

Uploads use the SPARQL 1.1 Graph Store HTTP Protocol (POST adds to a graph) in N-Triples chunks, so
a large collection never has to fit in one request. ``replace`` loads into a temporary graph, checks
its triple count, then moves it into place with one SPARQL Update request (``MOVE``): readers see the
old graph or the new one, never half of either, and a failed upload leaves the target untouched.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from plan2rdf.i18n import Text, join
from plan2rdf.publish.client import Client
from plan2rdf.publish.credentials import Credentials
from plan2rdf.publish.endpoint import Endpoint
from plan2rdf.publish.errors import DEFAULT_GRAPH, PublishError
from plan2rdf.publish.sources import Source, count_chunks, prepare, split_into_chunks
from plan2rdf.publish.verify import Profile, differences, local_profile, remote_profile

Mode = Literal["replace", "append"]

TEMPORARY_MARK = "plan2rdf-tmp-"  # in every temporary graph IRI, so leftovers are easy to find
# A temporary graph's name after the target and the mark: when it was made and a random part. A
# later publish to the same target drops one older than STALE_AFTER: no upload runs that long.
_TEMPORARY_SUFFIX = re.compile(r"(\d{10})-[0-9a-f]{16}")
STALE_AFTER = 24 * 3600  # seconds


# Messages in both languages, named here so that the publishing code stays short.
DROP_TO_EMPTY = Text(
    ja="グラフを空にするには SPARQL Update で DROP してください", en="to empty a graph, DROP it with SPARQL Update"
)
REPLACE_NEEDS_UPDATE = Text(
    ja="replace には新しいグラフを置き換えるための SPARQL Update の URL が必要です",
    en="replace needs a SPARQL Update URL to move the new graph into place",
)
REPLACE_NEEDS_UPDATE_HINT = Text(
    ja="サーバーの更新用 URL を指定するか、append を使ってください", en="give the server's update URL, or use append"
)


REPLACE_OR_APPEND = Text(ja="replace か append にしてください", en="use replace or append")
NO_FILES = Text(ja="公開するファイルがありません", en="no files to publish")


@dataclass(frozen=True)
class PublishReport:
    """What a publish did. ``triples_sent`` counts distinct triples, the number the graph should hold."""

    graph: str | None  # None: the default graph
    mode: Mode
    triples_sent: int
    triples_in_graph: int
    chunks: int
    seconds: float
    triples_before: int = 0
    # How the graph's content differs from what was sent, per predicate and object kind (datatype…)
    content_differences: tuple[Text, ...] = ()
    # Counted only when the default graph's count did not match: the triples in the store's named
    # graphs, which a store with a union default graph counts as the default graph's too.
    named_graph_triples: int | None = None
    # Temporary graphs an interrupted or crashed publish to the same target left, dropped first.
    stale_dropped: tuple[str, ...] = ()

    def _matches(self, before: int, after: int) -> bool:
        if self.mode == "replace":
            return after == self.triples_sent
        return max(before, self.triples_sent) <= after <= before + self.triples_sent

    @property
    def default_graph_is_union(self) -> bool:
        """The default graph answered for the named graphs too, and without them its count is right."""
        named = self.named_graph_triples
        return bool(named) and self._matches(self.triples_before - named, self.triples_in_graph - named)  # type: ignore[operator]

    @property
    def verified(self) -> bool:
        """Whether the graph holds what was sent: the same triples counted per predicate and object
        kind, and the count (append: within what old + new allow); for a union default graph, the
        count once the named graphs' triples are taken out (its content holds theirs too)."""
        if self.default_graph_is_union:
            return True
        return not self.content_differences and self._matches(self.triples_before, self.triples_in_graph)


@dataclass(frozen=True)
class UploadProgress:
    """Passed to ``publish(progress=…)`` after each chunk is stored."""

    chunk: int
    chunks: int
    triples: int  # triples uploaded so far (as sent, duplicates included)
    triples_total: int


def _check_graph(graph: str | None) -> None:
    if graph is None:
        return
    from plan2rdf.iri import iri_problem

    if problem := iri_problem(graph):
        raise PublishError(
            Text(ja=f"{graph!r} はグラフの IRI として使えません: {problem.ja}", en=f"{graph!r} {problem.en}"),
            Text(
                ja="グラフの IRI は https://example.org/graph/plan-2021 のような形です",
                en="a graph IRI looks like https://example.org/graph/plan-2021",
            ),
        )


def _temporary_prefix(graph: str | None) -> str:
    """What every temporary graph of a publish to ``graph`` starts with (and no other graph does)."""
    if graph is None:
        return f"urn:plan2rdf:{TEMPORARY_MARK}"
    return f"{graph}{'-' if '#' in graph else '#'}{TEMPORARY_MARK}"


def _temporary_graph(graph: str | None) -> str:
    return f"{_temporary_prefix(graph)}{int(time.time()):010d}-{secrets.token_hex(8)}"


def _drop_stale(client: Client, graph: str | None) -> tuple[str, ...]:
    """Drop the temporary graphs an earlier publish to the same target left (killed, or its drop
    failed): named as this module names them, for this target, and older than STALE_AFTER, so a
    publish still running elsewhere keeps its own."""
    prefix = _temporary_prefix(graph)
    literal = prefix.replace("\\", "\\\\").replace('"', '\\"')
    _columns, rows = client.select(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{literal}")) }}',
        what=Text(
            ja="中断した公開が残した一時グラフを探しています",
            en="looking for temporary graphs an interrupted publish left",
        ),
    )
    now = time.time()
    dropped = []
    for row in rows:
        name = str(row[0]) if row and row[0] is not None else ""
        found = _TEMPORARY_SUFFIX.fullmatch(name[len(prefix) :]) if name.startswith(prefix) else None
        if found and now - int(found.group(1)) > STALE_AFTER:
            client.update(
                f"DROP SILENT GRAPH <{name}>",
                what=Text(
                    ja=f"古い一時グラフ <{name}> を削除しています", en=f"dropping the stale temporary graph <{name}>"
                ),
                idempotent=True,
            )
            dropped.append(name)
    return tuple(dropped)


def _graph_name(graph: str | None) -> Text:
    return Text(f"<{graph}>", f"<{graph}>") if graph else DEFAULT_GRAPH


def publish(
    files: Sequence[Path],
    *,
    endpoint: Endpoint,
    graph: str | None,
    mode: Mode,
    chunk_triples: int = 50_000,
    timeout: float = 60,
    retries: int = 3,
    credentials: Credentials | None = None,
    insecure: bool = False,
    backoff: float = 0.25,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[UploadProgress], None] | None = None,
) -> PublishReport:
    """Upload ``files`` (N-Triples, Turtle, …; ``.gz`` too) into ``graph`` (None: the default graph).

    ``append`` adds to the graph. ``replace`` uploads into a temporary graph, checks it holds every
    distinct triple sent, with the same counts per predicate and object datatype, then swaps it in
    with one ``MOVE`` request; on any failure the temporary graph is dropped and the target is left
    as it was. Afterwards the target's triples are counted and compared by content again;
    ``PublishReport.verified`` says whether the graph holds what was sent.
    """
    started = time.monotonic()
    if mode not in ("replace", "append"):
        raise PublishError(Text(ja=f"モード {mode!r} は分かりません", en=f"unknown mode {mode!r}"), REPLACE_OR_APPEND)
    if chunk_triples < 1:
        raise PublishError(_chunks_too_small(chunk_triples))
    if not files:
        raise PublishError(NO_FILES)
    _check_graph(graph)
    client = Client(
        endpoint,
        credentials=credentials,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        sleep=sleep,
        insecure=insecure,
    )
    name = _graph_name(graph)
    with tempfile.TemporaryDirectory(prefix="plan2rdf-publish-") as work:
        sources, expected = prepare(files, Path(work))
        if mode == "replace":
            if expected == 0:
                raise PublishError(_nothing_to_replace_with(name), DROP_TO_EMPTY)
            if not endpoint.update:
                raise PublishError(REPLACE_NEEDS_UPDATE, REPLACE_NEEDS_UPDATE_HINT)
        sent = local_profile(sources)
        before = client.count(graph)  # also proves the query URL works before anything is uploaded
        stale = _drop_stale(client, graph) if mode == "replace" else ()
        total = count_chunks(sources, chunk_triples)
        if mode == "append":
            chunks = _upload(client, sources, graph, chunk_triples, total, progress, replacing=False)
        else:
            chunks = _replace(client, sources, graph, chunk_triples, total, progress, (expected, sent))
        after = client.count(graph, what=Text(ja=f"{name.ja} を確かめています", en=f"verifying {name.en}"))
        stored = remote_profile(
            client, graph, what=Text(ja=f"{name.ja} の中身を確かめています", en=f"verifying the content of {name.en}")
        )
        changed = differences(sent, stored, at_least=mode == "append")
    report = PublishReport(
        graph=graph,
        mode=mode,
        triples_sent=expected,
        triples_in_graph=after,
        chunks=chunks,
        seconds=round(time.monotonic() - started, 3),
        triples_before=before,
        content_differences=tuple(changed),
        stale_dropped=stale,
    )
    if graph is None and not report.verified:
        report = dataclasses.replace(report, named_graph_triples=_named_graph_triples(client))
    return report


def _chunks_too_small(chunk_triples: int) -> Text:
    return Text(
        ja=f"chunk_triples は 1 以上にしてください（{chunk_triples} になっています）",
        en=f"chunk_triples must be at least 1, not {chunk_triples}",
    )


def _nothing_to_replace_with(name: Text) -> Text:
    return Text(
        ja=f"入力にトリプルがありません。{name.ja} を空で置き換えることはしません",
        en=f"the input holds no triples: refusing to replace {name.en} with nothing",
    )


def _named_graph_triples(client: Client) -> int:
    """The triples of every named graph: what a union default graph adds to the default graph's count."""
    what = Text(ja="名前付きグラフのトリプルを数えています", en="counting the triples in the named graphs")
    _columns, rows = client.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", what=what)
    try:
        return int(str(rows[0][0]))
    except (IndexError, ValueError):
        raise PublishError(
            what + Text(ja=": サーバーの答えに件数がありません", en=": the server's answer holds no count")
        ) from None


def _replace(
    client: Client,
    sources: Sequence[Source],
    graph: str | None,
    size: int,
    total: int,
    progress: Callable[[UploadProgress], None] | None,
    sent: tuple[int, Profile],
) -> int:
    expected, profile = sent
    temporary = _temporary_graph(graph)
    name = _graph_name(graph)
    outcome = Text(ja=f"{name.ja} は変わっていません", en=f"{name.en} was not changed")
    try:
        chunks = _upload(client, sources, temporary, size, total, progress, replacing=True)
        checking = Text(ja="一時グラフを確かめています", en="verifying the temporary graph")
        found = client.count(temporary, what=checking)
        if found != expected:
            raise PublishError(
                Text(
                    ja=f"一時グラフのトリプルが {found} 件です。送ったのは {expected} 件です",
                    en=f"the temporary graph holds {found} triples where {expected} were sent",
                ),
                Text(
                    ja="同時に別のクライアントがストアに書き込んでいるか、サーバーがトリプルを落としています",
                    en="another client writing to the store at the same time, or a server that drops triples",
                ),
            )
        changed = differences(profile, remote_profile(client, temporary, what=checking))
        if changed:
            raise PublishError(
                Text(
                    ja="一時グラフのトリプルが送ったものと違います: ",
                    en="the temporary graph holds other triples than were sent: ",
                )
                + join(changed, "; ", ja_sep="。"),
                Text(
                    ja="ストアが保存するときにデータを変えました（リテラルのデータ型など）。docs/publishing.md "
                    "を見てください",
                    en="the store changed the data as it stored it (e.g. a literal's datatype): see docs/publishing.md",
                ),
            )
        target = f"<{graph}>" if graph else "DEFAULT"
        # The request may be lost after the server applied it; either way the graph is whole.
        outcome = Text(
            ja=f"{name.ja} は古いトリプルのすべてか、新しいトリプルのすべてのどちらかを持っています",
            en=f"{name.en} holds either all its old triples or all the new ones",
        )
        # One update request is atomic (SPARQL 1.1 Update, section 2.2): the old graph or the new.
        client.update(
            f"MOVE <{temporary}> TO {target}",
            what=Text(ja=f"新しいトリプルを {name.ja} に移しています", en=f"moving the new triples into {name.en}"),
            idempotent=False,  # a repeated MOVE would find no source graph
        )
    except BaseException as exc:  # Ctrl-C too: never leave a temporary graph behind if we can help it
        leftover = _drop_quietly(client, temporary)
        if isinstance(exc, KeyboardInterrupt):  # SIGINT, or SIGTERM as the CLI turns it into one
            left = leftover or Text(
                ja=f"一時グラフ <{temporary}> は削除しました", en=f"the temporary graph <{temporary}> was dropped"
            )
            raise PublishError(
                Text(ja=f"{name.ja} の公開が中断されました", en=f"publishing {name.en} was interrupted"),
                join([outcome, left], "; ", ja_sep="。"),
            ) from None
        if isinstance(exc, PublishError):
            unsupported = None
            english = str(exc.message)
            if english.startswith("moving") and re.search(r"HTTP (400|501)\b", english):
                unsupported = Text(
                    ja="サーバーが SPARQL 1.1 の MOVE に対応していないかもしれません。docs/publishing.md "
                    "を見てください",
                    en="the server may not support SPARQL 1.1 MOVE: see docs/publishing.md",
                )
            hints = [h for h in (exc.hint, unsupported, outcome, leftover) if h]
            raise PublishError(exc.message, join(hints, "; ", ja_sep="。")) from None
        raise
    return chunks


def _drop_quietly(client: Client, temporary: str) -> Text | None:
    """Drop the temporary graph; on failure, say how to drop it by hand (never raises)."""
    try:
        client.update(
            f"DROP SILENT GRAPH <{temporary}>",
            what=Text(ja="一時グラフを削除しています", en="dropping the temporary graph"),
            idempotent=True,
            retries=0,
        )
    except PublishError:
        return Text(
            ja=f"一時グラフ <{temporary}> が残っているかもしれません: DROP SILENT GRAPH <{temporary}>",
            en=f"the temporary graph <{temporary}> may remain: DROP SILENT GRAPH <{temporary}>",
        )
    return None


def _upload(
    client: Client,
    sources: Sequence[Source],
    graph: str | None,
    size: int,
    total: int,
    progress: Callable[[UploadProgress], None] | None,
    *,
    replacing: bool,
) -> int:
    done = sent = 0
    target = Text(ja="一時グラフ", en="the temporary graph") if replacing else _graph_name(graph)
    triples_total = sum(s.triples for s in sources)
    try:
        for chunk in split_into_chunks(sources, size):
            what = Text(
                ja=f"{target.ja} にチャンク {done + 1}/{total}（{chunk.where}）を送っています",
                en=f"uploading chunk {done + 1} of {total} ({chunk.where}) to {target.en}",
            )
            client.add(graph, chunk.body, what=what, idempotent=chunk.idempotent)
            done += 1
            sent += chunk.triples
            if progress:
                progress(UploadProgress(chunk=done, chunks=total, triples=sent, triples_total=triples_total))
    except PublishError as exc:
        if replacing or done == 0:
            raise
        added = Text(
            ja=f"失敗する前に {total} 個中 {done} 個のチャンクを加えました（append は不可分ではありません）。"
            "もう一度実行して完了させるか、replace を使ってください",
            en=f"{done} of {total} chunks were added before the failure (append is not atomic): "
            "run again to complete it, or use replace",
        )
        raise PublishError(exc.message, join([h for h in (exc.hint, added) if h], "; ", ja_sep="。")) from None
    return done
