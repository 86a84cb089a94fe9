"""The post document, the system of record (SQLAlchemy) and the search backends.

Imports nothing of lurewatch except `classifier.text` (accent folding for search).
Entry points: `index.settings.get_index_settings`, `index.store.Store.open`,
`index.search.open_search`; the shapes of a post: `index.document`.
"""
