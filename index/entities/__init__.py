"""Named entities: spaCy extraction, document rules, gazetteer, background enrichment."""
