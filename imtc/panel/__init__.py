"""The panel: the experts' filled sheets read back, checked, aggregated, reported (docs/panel.md)."""
