"""Views: shape a brand's report into pages, briefs, cards, JSON-LD, packs; they never judge."""
