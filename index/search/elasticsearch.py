"""Elasticsearch 8 backend: the shared base's requests, sent with the elasticsearch client (8.x).

The elasticsearch client refuses OpenSearch (product check): use the opensearch backend there.
"""

from __future__ import annotations

from index.search.es_base import EsLikeSearch, unavailable_status


class ElasticsearchSearch(EsLikeSearch):
    """Extra keyword arguments go to elasticsearch.Elasticsearch as they are (basic_auth, ca_certs, ...)."""

    engine_name = "Elasticsearch"

    def _client_options(self, timeout: float, max_retries: int, retry_on_timeout: bool) -> dict:
        return {"request_timeout": timeout, "max_retries": max_retries, "retry_on_timeout": retry_on_timeout,
                "sniff_on_start": False, "sniff_on_node_failure": False, "sniff_before_requests": False}

    def _make_client(self, hosts: list[str], options: dict) -> object:
        from elasticsearch import Elasticsearch

        return Elasticsearch(hosts=hosts, **options)

    def _bulk_helpers(self):  # type: ignore[no-untyped-def]
        from elasticsearch import helpers

        return helpers

    def _unavailable_reason(self, exc: Exception) -> str | None:
        from elastic_transport import ConnectionError, ConnectionTimeout
        from elasticsearch import ApiError

        if isinstance(exc, (ConnectionError, ConnectionTimeout)):  # refused, timed out, TLS
            return f"{type(exc).__name__}: {exc}"
        if isinstance(exc, ApiError) and unavailable_status(exc.meta.status):
            return f"HTTP {exc.meta.status} {exc.message}"
        return None

    def _send_alias_exists(self, alias: str) -> bool:
        return bool(self.client.indices.exists_alias(name=alias))

    def _send_alias_targets(self, alias: str) -> list[str]:
        if not self.client.indices.exists_alias(name=alias):
            return []
        return sorted(self.client.indices.get_alias(name=alias).body)

    def _send_list_indices(self, alias: str) -> list[str]:
        return sorted(self.client.indices.get(index=f"{alias}-v*", expand_wildcards="open").body)

    def _send_create_index(self, name: str, body: dict) -> None:
        self.client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])

    def _send_delete_index(self, name: str) -> None:
        self.client.indices.delete(index=name, ignore_unavailable=True)

    def _send_update_aliases(self, body: dict) -> None:
        self.client.indices.update_aliases(actions=body["actions"])

    def _send_put_settings(self, index: str, settings: dict) -> None:
        self.client.indices.put_settings(index=index, settings=settings)

    def _send_put_mapping(self, index: str, properties: dict) -> None:
        self.client.indices.put_mapping(index=index, properties=properties)

    def _send_refresh(self, index: str) -> None:
        self.client.indices.refresh(index=index)

    def _send_update(self, index: str, post_id: int, doc: dict, *, refresh: bool) -> bool:
        from elasticsearch import NotFoundError

        try:
            self.client.update(index=index, id=str(post_id), doc=doc, refresh="true" if refresh else "false")
        except NotFoundError:
            return False
        return True

    def _send_bulk_operations(self, operations: list[dict], *, refresh: bool) -> dict:
        return self.client.bulk(operations=operations, refresh="true" if refresh else "false").body

    def _send_count(self, index: str) -> int:
        return int(self.client.count(index=index)["count"])

    def _send_search(self, index: str, body: dict) -> dict:
        params = dict(body)
        if "from" in params:
            params["from_"] = params.pop("from")
        source = params.pop("_source", None)
        return self.client.search(index=index, source=source, **params).body
