"""OpenSearch backend: the shared base's requests, sent with opensearch-py (same major as the server)."""

from __future__ import annotations

from collections.abc import Iterable

from index.search.base import register
from index.search.es_base import (
    BULK_CHUNK,
    DEFAULT_ALIAS,
    BulkError,
    EsLikeSearch,
    parse_hosts,
    unavailable_status,
)


@register("opensearch")
class OpenSearchSearch(EsLikeSearch):
    """hosts: every node's URL (a list, or one comma-separated string): a dead node is retried on
    the next one. timeout is per request, in seconds; max_retries counts retries over the nodes.
    Sniffing stays off: nodes may publish addresses the application cannot reach.
    Extra keyword arguments go to opensearchpy.OpenSearch as they are (http_auth, use_ssl, ...).
    """

    engine_name = "OpenSearch"

    def __init__(self, hosts: list[str] | str = "http://127.0.0.1:9200", alias: str = DEFAULT_ALIAS,
                 refresh: bool = False, replicas: int | None = None, client: object | None = None,
                 timeout: float = 10.0, max_retries: int = 3, retry_on_timeout: bool = True,
                 **client_options: object) -> None:
        from opensearchpy import OpenSearch  # imported here: the package is optional

        urls = parse_hosts(hosts)
        super().__init__(alias=alias, refresh=refresh, replicas=replicas, hosts=urls)
        options: dict = {
            "timeout": timeout, "max_retries": max_retries, "retry_on_timeout": retry_on_timeout,
            "sniff_on_start": False, "sniff_on_connection_fail": False, "sniffer_timeout": None,
        }
        options.update(client_options)
        self.client = client or OpenSearch(hosts=urls, **options)

    def _unavailable_reason(self, exc: Exception) -> str | None:
        from opensearchpy.exceptions import ConnectionError, TransportError

        if isinstance(exc, ConnectionError):  # refused, timed out, TLS: no node answered
            return f"{type(exc).__name__}: {exc.error}"
        if isinstance(exc, TransportError) and unavailable_status(exc.status_code):
            return f"HTTP {exc.status_code} {exc.error}"
        return None

    def _send_alias_exists(self, alias: str) -> bool:
        return bool(self.client.indices.exists_alias(name=alias))

    def _send_alias_targets(self, alias: str) -> list[str]:
        if not self.client.indices.exists_alias(name=alias):
            return []
        return sorted(self.client.indices.get_alias(name=alias))

    def _send_list_indices(self, alias: str) -> list[str]:
        return sorted(self.client.indices.get(index=f"{alias}-v*", params={"expand_wildcards": "open"}))

    def _send_create_index(self, name: str, body: dict) -> None:
        self.client.indices.create(index=name, body=body)

    def _send_delete_index(self, name: str) -> None:
        self.client.indices.delete(index=name, params={"ignore_unavailable": "true"})

    def _send_update_aliases(self, body: dict) -> None:
        self.client.indices.update_aliases(body=body)

    def _send_bulk(self, actions: Iterable[dict], *, refresh: bool) -> None:
        from opensearchpy import helpers

        ok, errors = helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, raise_on_error=False,
                                  refresh="true" if refresh else "false")
        if errors:
            raise BulkError(len(errors), list(errors))

    def _send_put_settings(self, index: str, settings: dict) -> None:
        self.client.indices.put_settings(index=index, body=settings)

    def _send_refresh(self, index: str) -> None:
        self.client.indices.refresh(index=index)

    def _send_update(self, index: str, post_id: int, doc: dict, *, refresh: bool) -> bool:
        from opensearchpy import NotFoundError

        try:
            self.client.update(index=index, id=str(post_id), body={"doc": doc},
                               params={"refresh": "true" if refresh else "false"})
        except NotFoundError:
            return False
        return True

    def _send_bulk_operations(self, operations: list[dict], *, refresh: bool) -> dict:
        return self.client.bulk(body=operations, params={"refresh": "true" if refresh else "false"})

    def _send_count(self, index: str) -> int:
        return int(self.client.count(index=index)["count"])

    def _send_search(self, index: str, body: dict) -> dict:
        return self.client.search(index=index, body=body)
