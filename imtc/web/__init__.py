"""The web front door: applicants check their drafts, the intake desk works its round.

`imtc serve` (imtc/cli/serve.py) starts it; `imtc.web.app.create_app(Settings(...))` builds it. This
package imports nothing heavy on its own, so that `imtc --help` stays fast without FastAPI loaded.
docs/web.md describes the pages, the settings and the security choices.
"""
