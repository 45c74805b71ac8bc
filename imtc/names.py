"""Names compared across documents and stages (the store, scoring): one spelling of each rule."""

from __future__ import annotations

import re
import unicodedata


def center_key(name: str) -> str:
    """A center's name for comparing: NFKC, no spaces or punctuation, brackets' content dropped,
    浙江省 read as 浙江 (annex 4 writes 浙江XX产业计量测试中心, annex 1 浙江省XX…), （碳） dropped."""
    t = unicodedata.normalize("NFKC", name).casefold()
    t = re.sub(r"\((?:碳|筹)\)", "", t)
    t = re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", t)
    return t.replace("浙江省", "浙江")
