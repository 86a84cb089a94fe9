"""OpenSearch backend: the shared base's requests, sent with opensearch-py (same major as the server)."""

from __future__ import annotations

from index.search.es_base import EsLikeSearch, unavailable_status


class OpenSearchSearch(EsLikeSearch):
    """Extra keyword arguments go to opensearchpy.OpenSearch as they are (http_auth, use_ssl, ...)."""

    engine_name = "OpenSearch"

    def _client_options(self, timeout: float, max_retries: int, retry_on_timeout: bool) -> dict:
        return {"timeout": timeout, "max_retries": max_retries, "retry_on_timeout": retry_on_timeout,
                "sniff_on_start": False, "sniff_on_connection_fail": False, "sniffer_timeout": None}

    def _make_client(self, hosts: list[str], options: dict) -> object:
        from opensearchpy import OpenSearch

        return OpenSearch(hosts=hosts, **options)

    def _bulk_helpers(self):  # type: ignore[no-untyped-def]
        from opensearchpy import helpers

        return helpers

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

    def _send_put_settings(self, index: str, settings: dict) -> None:
        self.client.indices.put_settings(index=index, body=settings)

    def _send_put_mapping(self, index: str, properties: dict) -> None:
        self.client.indices.put_mapping(index=index, body={"properties": properties})

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
