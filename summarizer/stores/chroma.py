"""Chroma-backed passage store: embedded (PersistentClient) or a server (HttpClient), one class.

Vectors always come from our own offline MiniLM embedder, registered as the
collection's embedding function, so Chroma's default (which downloads a model at
first use) is never reached, not even by a query by text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse

from digest_core.embedding import MODEL_ID, default_embedder
from digest_core.locks import acquire

from ..records import Passage
from .base import Hit, StoreError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

_EF_CLASS = None


def _embedding_function():
    """Our embedder wrapped as a Chroma EmbeddingFunction (registered once per process)."""
    global _EF_CLASS
    if _EF_CLASS is None:
        from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
        from chromadb.utils.embedding_functions import register_embedding_function

        class DigestMiniLM(EmbeddingFunction[Documents]):
            def __init__(self) -> None:
                pass

            def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 (Chroma's name)
                return list(default_embedder().embed(list(input)))

            @staticmethod
            def name() -> str:
                return "digest-" + MODEL_ID

            def get_config(self) -> dict:
                return {}

            @staticmethod
            def build_from_config(config: dict) -> "DigestMiniLM":
                return DigestMiniLM()

        try:
            register_embedding_function(DigestMiniLM)
        except ValueError:
            pass  # already registered in this process
        _EF_CLASS = DigestMiniLM
    return _EF_CLASS()


def _client(store_dir: Path | None, url: str | None, headers: dict[str, str] | None = None,
            ca_bundle: Path | None = None):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if url:
        host, port, tls = _server_address(url)
        if tls and ca_bundle is not None:
            settings = Settings(anonymized_telemetry=False, allow_reset=False, chroma_server_ssl_verify=str(ca_bundle))
        _check_access(url, headers or {}, ca_bundle)  # a refused token is named here, before Chroma's own client
        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=tls, headers=dict(headers or {}), settings=settings)
            client.heartbeat()
        except Exception as exc:  # chromadb raises several types for a refused connection
            raise StoreError(_explain(url, exc, headers)) from None
        return client
    assert store_dir is not None
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        # Two processes creating the same new store at once race in Chroma's schema set-up ("table collections
        # already exists"): opening is serialised; it is short, so a plain blocking lock is enough.
        with acquire(store_dir / "open.lock"):
            return chromadb.PersistentClient(path=str(store_dir), settings=settings)
    except Exception as exc:
        raise StoreError(f"cannot open the store at {store_dir}: {_first_line(exc)} "
                         "(corrupt? move the folder aside, or pass another --store, and ingest again)") from None


def _server_address(url: str) -> tuple[str, int, bool]:
    """(host, port, https?) of a Chroma server URL; credentials and paths in the URL are refused."""
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(f"--chroma-url {url!r} is not a URL like https://chroma.example:8000 or http://127.0.0.1:8000")
    if parsed.username or parsed.password:
        # The URL is shown in messages and reports; credentials go in settings that are never shown.
        raise StoreError("--chroma-url must not contain a user name or password; "
                         "use DIGEST_CHROMA_TOKEN or DIGEST_CHROMA_HEADERS")
    if parsed.path.strip("/") or parsed.query:
        raise StoreError(f"--chroma-url {url!r}: a path or query is not supported; give scheme, host and port only")
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    except ValueError:
        raise StoreError(f"--chroma-url {url!r} has an invalid port") from None
    return parsed.hostname, port, parsed.scheme == "https"


def _check_access(url: str, headers: dict[str, str], ca_bundle: Path | None) -> None:
    """Ask the server who we are (an endpoint that needs the credentials, unlike the heartbeat); say plainly
    what is wrong when it will not answer: TLS not trusted, credentials refused, not a Chroma server."""
    import ssl

    import httpx

    host, port, tls = _server_address(url)
    base = f"{'https' if tls else 'http'}://{host if ':' not in host else f'[{host}]'}:{port}"
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(ca_bundle)) if ca_bundle else True
    try:
        response = httpx.get(f"{base}/api/v2/auth/identity", headers=headers, verify=verify, timeout=15.0,
                             follow_redirects=False)
    except httpx.HTTPError as exc:
        raise StoreError(_explain(url, exc, headers)) from None
    except (ssl.SSLError, OSError) as exc:  # e.g. a CA bundle that is not PEM
        raise StoreError(f"cannot reach the Chroma server at {url}: {_first_line(exc)}") from None
    if response.status_code in (401, 403):
        raise CredentialsRefused(response.status_code, _refused(url, response.status_code, headers))
    if response.status_code >= 300:
        raise StoreError(f"the Chroma server at {url} answered HTTP {response.status_code} "
                         f"to {response.request.url.path}: is it a Chroma 1.x server?")
    try:
        response.json()
    except ValueError:
        raise StoreError(f"the server at {url} did not answer like a Chroma server "
                         f"({response.headers.get('content-type', 'no content type')})") from None


class CredentialsRefused(StoreError):
    """The server answered 401 or 403: no token, a wrong one, or one without the rights."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _refused(url: str, status: int, headers: dict[str, str] | None) -> str:
    if headers:
        return (f"the Chroma server at {url} refused the credentials (HTTP {status}); "
                "check DIGEST_CHROMA_TOKEN or DIGEST_CHROMA_HEADERS")
    return (f"the Chroma server at {url} wants credentials (HTTP {status}); "
            "set DIGEST_CHROMA_TOKEN or DIGEST_CHROMA_HEADERS")


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    if response is not None and isinstance(getattr(response, "status_code", None), int):
        return response.status_code
    code = getattr(exc, "code", None)
    try:
        return int(code()) if callable(code) else None
    except (TypeError, ValueError):
        return None


def _explain(url: str, exc: BaseException, headers: dict[str, str] | None) -> str:
    """One line for a failure to talk to the server."""
    status = _status(exc)
    if status in (401, 403):
        return _refused(url, status, headers)
    text = _first_line(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        found = re.search(r"certificate verify failed:\s*([^(]+)", text)
        reason = found.group(1).strip() if found else "verification failed"
        return (f"cannot reach the Chroma server at {url}: its TLS certificate is not trusted ({reason}); "
                "set DIGEST_CA_BUNDLE to the PEM file of the authority that signed it")
    if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text:
        return f"cannot reach the Chroma server at {url}: it does not speak TLS there; try http:// instead of https://"
    return f"cannot reach the Chroma server at {url}: {text}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _to_passage(pid: str, text: str, meta: dict) -> Passage:
    return Passage(
        id=pid,
        source=str(meta.get("source", "")),
        source_path=str(meta.get("source_path", "")),
        doc_sha256=str(meta.get("doc_sha256", "")),
        kind=meta.get("kind", "article"),
        index=int(meta.get("index", 0)),
        text=text,
        title=(meta.get("title") or None),
        date=(meta.get("date") or None),
        outlet=(meta.get("outlet") or None),
    )


class ChromaStore:
    """A passage store over a Chroma collection (embedded directory or server URL)."""

    def __init__(self, store_dir: Path | None = None, url: str | None = None, collection: str = "digest-passages", *,
                 headers: dict[str, str] | None = None, ca_bundle: Path | None = None):
        """``headers`` go with every request to a server (a bearer token, a gateway key); ``ca_bundle`` is
        the PEM file of the authorities trusted for an https URL (default: certifi's list)."""
        self.description = f"Chroma server {url}" if url else f"embedded Chroma at {store_dir}"
        self._server = (url, headers or {}, ca_bundle) if url else None
        self._client = _client(store_dir, url, headers, ca_bundle)
        try:
            self._collection = self._client.get_or_create_collection(
                collection, embedding_function=_embedding_function(), metadata={"hnsw:space": "cosine"}
            )
        except Exception as exc:
            raise StoreError(f"cannot open collection {collection!r} in {self.description}: {_first_line(exc)}") from None

    @property
    def client(self):
        """The chromadb client (embedded or HTTP), for tools that speak Chroma themselves (langchain-chroma)."""
        return self._client

    @property
    def collection_name(self) -> str:
        return self._collection.name

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            status = _status(exc)
            if status is None and self._server is not None:
                # Chroma's client keeps the status of a non-Chroma error body to itself: ask the server again.
                try:
                    _check_access(*self._server)
                except CredentialsRefused as refused:
                    status = refused.status
                except StoreError:
                    pass
            if status in (401, 403):  # credentials revoked or scoped too narrowly: an error, never an empty result
                raise StoreError(f"{self.description}: {what} refused (HTTP {status}); "
                                 "check DIGEST_CHROMA_TOKEN or DIGEST_CHROMA_HEADERS") from None
            raise StoreError(f"{self.description}: {what} failed: {_first_line(exc)}") from None

    def document_state(self, source_path: str) -> tuple[str | None, int]:
        got = self._call("read", self._collection.get, where={"source_path": source_path}, include=["metadatas"])
        metas = got.get("metadatas") or []
        if not metas:
            return None, 0
        shas = {m.get("doc_sha256") for m in metas}
        expected = {m.get("n_passages") for m in metas}
        complete = len(shas) == 1 and expected == {len(metas)}
        return (shas.pop() if complete else None), len(metas)

    def replace_document(self, source_path: str, passages: Sequence[Passage]) -> int:
        existing = self._call("read", self._collection.get, where={"source_path": source_path}, include=["metadatas"])
        stored = dict(zip(existing.get("ids", []), existing.get("metadatas") or []))
        new_ids = {p.id for p in passages}
        stale = [i for i in stored if i not in new_ids]
        fresh = [p for p in passages if p.id not in stored]
        # the same text, read another way by this version (a title, date or outlet): its metadata, not its vector
        relabelled = [p for p in passages if p.id in stored and stored[p.id] != p.metadata(len(passages))]
        if relabelled:
            self._call("write", self._collection.update, ids=[p.id for p in relabelled],
                       metadatas=[p.metadata(len(passages)) for p in relabelled])
        if fresh:
            vectors = default_embedder().embed([p.text for p in fresh])
            self._call(
                "write",
                self._collection.upsert,
                ids=[p.id for p in fresh],
                documents=[p.text for p in fresh],
                embeddings=[v.tolist() for v in vectors],
                metadatas=[p.metadata(len(passages)) for p in fresh],
            )
        if stale:
            # New passages go in before old ones leave, so an interruption never loses a document.
            self._call("delete", self._collection.delete, ids=stale)
        return len(fresh)

    def count(self) -> int:
        return self._call("count", self._collection.count)

    def passages(self, source_paths: Sequence[str] | None = None) -> list[Passage]:
        where = None
        if source_paths:
            where = {"source_path": {"$in": list(source_paths)}}
        got = self._call("read", self._collection.get, where=where, include=["documents", "metadatas"])
        items = [_to_passage(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(items, key=lambda p: (p.source, p.source_path, p.index))

    def heads(self) -> list[Passage]:
        """The first passage of every stored document (its title, date and outlet ride along), one per document."""
        got = self._call("read", self._collection.get, where={"index": 0}, include=["documents", "metadatas"])
        items = [_to_passage(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(items, key=lambda p: p.source_path)

    def article_index(self):
        """The article records of this store (``<collection>-articles``): story features and assignments."""
        from ..stories import FEATURES
        from .articles import ChromaArticleIndex

        return ChromaArticleIndex(self._client, f"{self._collection.name}-articles-v{FEATURES}", self._call,
                                  _embedding_function())

    def query(self, text: str, k: int, source_paths: Sequence[str] | None = None) -> list[Hit]:
        where = {"source_path": {"$in": list(source_paths)}} if source_paths else None
        vector = default_embedder().embed([text])[0].tolist()
        total = self.count()
        if total == 0:
            return []
        got = self._call(
            "query",
            self._collection.query,
            query_embeddings=[vector],
            n_results=min(k, total),
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            Hit(passage=_to_passage(i, d, m), score=1.0 - float(dist))
            for i, d, m, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0])
        ]
