"""One conversion through a LibreOffice that is already running (imtc/extract/office.py), over UNO.

Run by the system's Python, which has LibreOffice's `uno` module (Debian's python3-uno), never by
imtc's own interpreter and never imported by imtc:

    /usr/bin/python3 uno_convert.py PIPE SOURCE TARGET FILTER [FOLDER]

Connects to the LibreOffice listening on the named pipe PIPE (waiting for it while it starts, and
while FOLDER, its temporary folder, exists and holds no file "dead"), opens SOURCE hidden and read-only,
stores it as TARGET with the export filter FILTER and closes it. Exit status: 0 converted, 3 no
LibreOffice on that pipe, 4 LibreOffice could not open the file, 5 it could not store it, 6 the
connection broke (LibreOffice died). Nothing is printed but a reason on stderr.

    /usr/bin/python3 uno_convert.py --batch PIPE FOLDER

converts every file listed in FOLDER/batch/jobs.json to .docx, one after the other over one
connection, and says how far it got in files under FOLDER/batch (see `batch`).
"""

import json
import os
import sys
import time

DOCX = "MS Word 2007 XML"
CONNECT_S = 20.0  # a LibreOffice just started takes a few seconds to open its pipe


def _alive(folder):
    return folder is None or (os.path.isdir(folder) and not os.path.exists(os.path.join(folder, "dead")))


def _connect(pipe, folder):
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + CONNECT_S
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            if time.monotonic() >= deadline or not _alive(folder):
                raise
            time.sleep(0.1)


def _prop(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _count_now(doc):
    """Writer's document statistics counted to the end before the save. Left alone, Writer counts
    them in the background and stores them (docProps/app.xml) only when that count has finished in
    time, so two conversions of one file differed byte for byte. Asking the model for its word
    count makes Writer count the whole document at once and set the statistics it then stores."""
    try:
        doc.getPropertyValue("WordCount")
    except Exception:  # not a Writer document, or a model without the property: nothing to settle
        pass


def _store(desktop, source, target, filter_name):
    """0 stored; 4 LibreOffice could not open `source`, 5 not store it. A lost connection raises."""
    import uno
    from com.sun.star.lang import DisposedException

    try:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (
            _prop("Hidden", True), _prop("ReadOnly", True), _prop("UpdateDocMode", 0),
            _prop("MacroExecutionMode", 0)))
    except DisposedException:
        raise
    except Exception as exc:  # IllegalArgumentException, IOException: not a document it can open
        sys.stderr.write(f"load failed: {exc}\n")
        return 4
    if doc is None:
        sys.stderr.write("load failed\n")
        return 4
    _count_now(doc)
    try:
        doc.storeToURL(uno.systemPathToFileUrl(target), (_prop("FilterName", filter_name),))
    except DisposedException:
        raise
    except Exception as exc:
        sys.stderr.write(f"store failed: {exc}\n")
        return 5
    finally:
        try:
            doc.close(True)
        except Exception:
            pass
    return 0


def _desktop(pipe, folder):
    from com.sun.star.connection import NoConnectException

    try:
        ctx = _connect(pipe, folder)
    except NoConnectException:
        sys.stderr.write(f"no LibreOffice on pipe {pipe}\n")
        return None
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def main(pipe, source, target, filter_name, folder=None):
    import uno  # noqa: F401  (makes the com.sun.star modules importable)
    from com.sun.star.lang import DisposedException
    from com.sun.star.uno import RuntimeException

    try:
        desktop = _desktop(pipe, folder)
        if desktop is None:
            return 3
        return _store(desktop, source, target, filter_name)
    except (DisposedException, RuntimeException) as exc:
        sys.stderr.write(f"connection lost: {exc}\n")
        return 6


def _write(path, text):
    """`text` into `path` at once (a reader never sees half of it)."""
    with open(path + ".part", "w") as f:
        f.write(text)
    os.replace(path + ".part", path)


def batch(pipe, folder):
    """Every job of FOLDER/batch/jobs.json ([source, suffix] each) in turn, through one connection.
    Job N: the source copied to batch/N/input<suffix> (the name a conversion of its own gives it),
    stored as batch/N/out/input.docx; before it starts, batch/current says "N <time.monotonic()>";
    when it ends, batch/N/status says 0, 4 or 5 as main's exit status (6: the connection broke on
    it, and the batch ends). A job whose status a worker has written already (it stopped waiting) is
    passed over. Exit status: 0 all done, 3 no LibreOffice on that pipe, 6 it died."""
    import shutil

    import uno  # noqa: F401  (makes the com.sun.star modules importable)
    from com.sun.star.lang import DisposedException
    from com.sun.star.uno import RuntimeException

    root = os.path.join(folder, "batch")
    with open(os.path.join(root, "jobs.json"), encoding="utf-8") as f:
        jobs = json.load(f)
    try:
        desktop = _desktop(pipe, folder)
        if desktop is None:
            return 3
    except (DisposedException, RuntimeException):
        return 6
    for n, (source, suffix) in enumerate(jobs):
        here = os.path.join(root, str(n))
        if not _alive(folder):
            return 6
        if os.path.exists(os.path.join(here, "status")):
            continue
        _write(os.path.join(root, "current"), f"{n} {time.monotonic()}")
        copy = os.path.join(here, "input" + suffix)
        try:
            os.makedirs(os.path.join(here, "out"), exist_ok=True)
            shutil.copyfile(source, copy)  # LibreOffice never touches the submitted file
            code = _store(desktop, copy, os.path.join(here, "out", "input.docx"), DOCX)
        except OSError as exc:
            sys.stderr.write(f"{source}: {exc}\n")
            code = 4
        except (DisposedException, RuntimeException) as exc:
            sys.stderr.write(f"connection lost: {exc}\n")
            if not os.path.exists(os.path.join(here, "status")):  # a worker's "hung" stays
                _write(os.path.join(here, "status"), "6")
            return 6
        finally:
            try:
                os.remove(copy)
            except OSError:
                pass
        _write(os.path.join(here, "status"), str(code))
    return 0


if __name__ == "__main__":
    code = batch(*sys.argv[2:4]) if sys.argv[1:2] == ["--batch"] else main(*sys.argv[1:6])
    sys.stderr.flush()
    os._exit(code)  # pyuno's bridge can crash while the interpreter is torn down: skip the teardown
