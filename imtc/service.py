"""assess(): the one way in. Every front door (`imtc extract`, `check`, `score`, `review`, the round,
the web) reads, checks, scores and writes review documents through here.

One file is assessed in a worker process of imtc.batch, with its time and memory limit: the reading,
the previous plan's reading, the store's look-ups, the scoring and the review documents all count
against it. What goes in: the file, its previous plan (a file, an extraction already read, or found in
the store), the store (a URL, opened in the worker) and the options; what comes out: an Assessment
(the extraction, the document, the typed score and the review files written, and the messages for
the user, in Chinese).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from imtc import batch
from imtc.extract.limits import Limits
from imtc.models import Extraction, Finding, Score
from imtc.pipeline import check_file, check_file_with_document, crashed

if TYPE_CHECKING:
    from imtc.store import Store

SCORABLE = {"annual_report": "annex5", "application": "annex2"}


class Options(BaseModel):
    """What to do with a file beyond reading and checking it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    score: bool = False
    review_dir: Path | None = Field(None, description="write the review documents here (implies score)")
    db: str | None = Field(None, description="the store's URL: previous plan and history looked up, file recorded")
    record: bool = True
    catalogue: list[Any] | None = None  # imtc.score_assist.lists.Spec
    core_enterprises: list[Any] | None = None  # imtc.score_assist.lists.Enterprise
    limits: Limits | None = None
    nice: int = Field(0, description="the worker's CPU priority lowered by this much (the web: pages come first)")


class Known(BaseModel):
    """What the caller already knows about a file: its extraction (read in an earlier phase), and the
    center's previous plan: a file to read (`--previous`), or one found already, with the history."""

    extraction: Extraction | None = Field(None, description="this file's, when it was read before")
    previous_path: Path | None = None
    previous: Extraction | None = None
    note: str | None = None
    history: list[Extraction] | None = Field(None, description="the center's earlier documents, when known")


class Assessment(BaseModel):
    """One file assessed."""

    extraction: Extraction
    document: Any | None = Field(None, exclude=True, description=(
        "the Document the extraction was mapped from (imtc.extract.blocks), in the process that read the "
        "file; not carried back from a worker (it is kept by content hash: imtc.extract.cached_document)"))
    score: Score | None = None
    review_files: list[Path] = Field(default_factory=list)
    previous: Extraction | None = None
    warnings: list[str] = Field(default_factory=list, description="for the user, Chinese; the work went on")
    seconds: float | None = Field(None, description="time spent scoring and writing the review documents")
    error: str | None = Field(None, description="why the file could not be scored (Chinese); None when it was")

    @property
    def scorable(self) -> bool:
        return self.extraction.kind in SCORABLE and not crashed(self.extraction)


def _failed(path: Path, finding: Finding) -> Assessment:
    """A worker that overran its time or died: the file unreadable, and not scored."""
    return Assessment(extraction=batch.failed_extraction(path, finding), error=finding.message)


def _reason(ex: Extraction) -> str:
    return "；".join(f.message for f in ex.findings if f.severity == "error") or "无法读取"


def _unscorable(ex: Extraction, what: str, path: Path) -> str | None:
    """Why a file cannot be scored (Chinese), or None."""
    if crashed(ex):
        return f"{what}“{path.name}”无法读取：{_reason(ex)}"
    if ex.kind not in SCORABLE:
        return f"{what}“{path.name}”不是申请书（附件1）或年度工作总结（附件4），无法评分。"
    return None


def previous_in_store(store: Store, ex: Extraction) -> tuple[Extraction | None, str | None]:
    """The previous plan of annual report `ex` found in the store (its last annual report of an earlier
    year, else its application), and the note that says so; (None, None) when there is none. Raises
    StoreError."""
    found = store.previous_plan(ex)
    return (None, None) if found is None else (found.extraction, f"由记录库找到：{found.describe()}")


def _from_store(ex: Extraction, known: Known, options: Options, out: Assessment
                ) -> tuple[Extraction | None, str | None, list[Extraction]]:
    """The previous plan and the history: given, or looked up in the store (opened here, in the worker);
    `ex` (and a previous plan read from a file) recorded in the store after the look-up."""
    from imtc.store import Store, StoreError

    prev, note = known.previous, known.note
    history = list(known.history or [])
    if options.db is None:
        return prev, note, history
    try:
        store = Store(options.db)
    except StoreError as exc:
        out.warnings.append(f"{exc}；本次评分不记录、也不从记录库查找上一份计划。")
        return prev, note, history
    try:
        if known.previous_path is not None and prev is not None and options.record:
            store.record(prev)
        if prev is None and known.previous_path is None and ex.kind == "annual_report":
            prev, note = previous_in_store(store, ex)
            if prev is None:
                out.warnings.append("记录库中没有该中心更早的年度工作总结或申请书：计划完成率（1.2.1、1.3.2、1.4.4）"
                                    "留待专家；可用 --previous 指定。")
        if known.history is None:
            history = store.history(ex)
        if options.record:
            store.record(ex)
    except StoreError as exc:
        out.warnings.append(str(exc))
    finally:
        store.close()
    return prev, note, history


def _texts(path: Path, ex: Extraction, doc: Any) -> Any:
    """The document's prose by section (evidence for the expert): from its Document, read once."""
    from imtc.score_assist.texts import read_texts, texts_of

    return texts_of(doc, ex.kind) if doc is not None else read_texts(path, ex.kind)


def _score(path: Path, ex: Extraction, known: Known, options: Options, out: Assessment) -> None:
    from imtc.score_assist import score

    if known.previous_path is not None and ex.kind == "annual_report":
        prev = check_file(known.previous_path, options.limits)
        problem = _unscorable(prev, "上一份计划", known.previous_path)
        if problem:
            out.error = problem
            return
        known = known.model_copy(update={"previous": prev, "note": "由 --previous 指定"})
    elif known.previous_path is not None:
        out.warnings.append("申请书按附件2评分，不需要 --previous，已忽略。")
        known = known.model_copy(update={"previous_path": None})
    prev, note, history = _from_store(ex, known, options, out)
    if ex.kind != "annual_report":
        prev, note = None, None
    if prev is not None and all(h.source.sha256 != prev.source.sha256 for h in history):
        history.append(prev)
    texts = _texts(path, ex, out.document)
    out.previous = prev
    out.score = Score.model_validate(score(ex, previous=prev, texts=texts, history=history,
                                           catalogue=options.catalogue, core_enterprises=options.core_enterprises,
                                           previous_note=note))
    if options.review_dir is not None:
        from imtc.review import write_review

        try:
            out.review_files = write_review(ex, out.score.as_json(), options.review_dir, texts=texts,
                                            source=path, document=out.document)
        except OSError as exc:
            out.error = f"无法写入“{options.review_dir}”：{exc.strerror or exc}"


def assess_here(path: Path | str, known: Known | None = None, options: Options | None = None) -> Assessment:
    """assess() in this process, without the time limit: for a worker, or a test. Review templates
    that do not fit (ReviewTemplateError) and store errors become `error`/`warnings`; a bug in
    scoring becomes `error` too: the extraction is never lost."""
    path, known, options = Path(path), known or Known(), options or Options()
    ex, doc = (known.extraction, None) if known.extraction else check_file_with_document(path, options.limits)
    out = Assessment(extraction=ex, document=doc)
    if not (options.score or options.review_dir is not None):
        return out
    problem = _unscorable(ex, "文件", path)
    if problem:
        out.error = problem
        return out
    started = time.perf_counter()
    try:
        _score(path, ex, known, options, out)
        out.seconds = round(time.perf_counter() - started, 3)
    except Exception as exc:  # noqa: BLE001 - reported, the extraction is kept
        from imtc.review import ReviewTemplateError

        out.error = str(exc) if isinstance(exc, ReviewTemplateError) else f"{type(exc).__name__}: {exc}"[:300]
    return out


def _work(path: Path, known: dict[Path, Known], review_dirs: dict[Path, Path], options: Options) -> Assessment:
    """In the worker process."""
    if options.nice:
        try:
            os.nice(options.nice)
        except OSError:
            pass
    if path in review_dirs:
        options = options.model_copy(update={"review_dir": review_dirs[path]})
    return assess_here(path, known.get(path), options)


def assess_all(files: Sequence[Path], options: Options | None = None, *, known: dict[Path, Known] | None = None,
               review_dirs: dict[Path, Path] | None = None, jobs: int = 1, timeout: float = batch.DEFAULT_TIMEOUT_S,
               ) -> Iterator[tuple[int, Assessment]]:
    """assess() for many files, each in a worker of its own (`jobs` at a time, each within `timeout`
    seconds and the memory limit); (index into `files`, assessment) as they finish. `known` and
    `review_dirs` give, by file, what is known of it already and where its review documents go."""
    from imtc.extract import office
    from imtc.warm import warm

    options = options or Options()
    review = options.review_dir is not None or bool(review_dirs)
    work = partial(_work, known=known or {}, review_dirs=review_dirs or {}, options=options)
    paths = [f if isinstance(f, Path) else Path(f) for f in files]  # an imtc.files.Skipped stays one
    with office.running(paths, review=review):  # one LibreOffice for the round's Word files, when it needs one
        warm(files, score=options.score or review, review=review)  # while it starts; once, not in every worker
        yield from batch.run(paths, work, jobs=jobs, timeout=timeout, result=Assessment, failed=_failed)


def assess(path: Path | str, known: Known | None = None, options: Options | None = None,
           timeout: float = batch.DEFAULT_TIMEOUT_S) -> Assessment:
    """Read, check and (per `options`) score one file and write its review documents, in a worker
    process with the time and memory limit. Never raises for a bad file: see Assessment.error."""
    path = Path(path)
    [(_, out)] = list(assess_all([path], options, known={path: known} if known else None, timeout=timeout))
    return out


__all__ = ["Assessment", "Known", "Options", "assess", "assess_all", "assess_here", "previous_in_store"]
