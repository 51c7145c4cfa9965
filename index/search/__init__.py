"""The full-text search index (Whoosh): analysis, schema, query, engine, highlight, suggest."""
