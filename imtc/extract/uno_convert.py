"""One conversion through a LibreOffice that is already running (imtc/extract/office.py), over UNO.

Run by the system's Python, which has LibreOffice's `uno` module (Debian's python3-uno), never by
imtc's own interpreter and never imported by imtc:

    /usr/bin/python3 uno_convert.py PIPE SOURCE TARGET FILTER [FOLDER]

Connects to the LibreOffice listening on the named pipe PIPE (waiting for it while it starts, and
while FOLDER, its temporary folder, exists and holds no file "dead"), opens SOURCE hidden and read-only,
stores it as TARGET with the export filter FILTER and closes it. Exit status: 0 converted, 3 no
LibreOffice on that pipe, 4 LibreOffice could not open the file, 5 it could not store it, 6 the
connection broke (LibreOffice died). Nothing is printed but a reason on stderr.
"""

import os
import sys
import time

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


def main(pipe, source, target, filter_name, folder=None):
    import uno
    from com.sun.star.connection import NoConnectException
    from com.sun.star.lang import DisposedException
    from com.sun.star.uno import RuntimeException

    try:
        ctx = _connect(pipe, folder)
    except NoConnectException:
        sys.stderr.write(f"no LibreOffice on pipe {pipe}\n")
        return 3
    try:
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
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
    except (DisposedException, RuntimeException) as exc:
        sys.stderr.write(f"connection lost: {exc}\n")
        return 6
    return 0


if __name__ == "__main__":
    code = main(*sys.argv[1:6])
    sys.stderr.flush()
    os._exit(code)  # pyuno's bridge can crash while the interpreter is torn down: skip the teardown
