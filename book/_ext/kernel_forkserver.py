"""Fresh Jupyter kernels without paying for the imports each time: a fork server.

    python kernel_forkserver.py serve SOCKET MODULE [MODULE ...]   # import MODULEs, then fork kernels on request
    python kernel_forkserver.py launch SOCKET -- ARGV ...          # what a kernelspec runs: one kernel, via SOCKET

A chapter kernel spends most of its life starting Python and importing pandas, plotly, matplotlib and
the rest before its first cell does any work. The server does that once; for each kernel asked for,
it forks a child, which takes the caller's working directory and environment and becomes an ordinary
``ipykernel`` kernel with a fresh namespace (nothing a chapter defines can reach another chapter:
each child is its own process and exits with its chapter). The launcher is the process the Jupyter
kernel manager starts and watches: it asks the server for a kernel, passes interrupts on, and exits
with the kernel's exit status. If the launcher dies, the server kills its kernel; when the server's
standard input closes (its parent is gone), it kills every kernel and exits.

Only the standard library is imported at the top, so the launcher starts in milliseconds. POSIX only
(``os.fork`` and Unix sockets), like the rest of the build.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import sys
import traceback

POLL_SECONDS = 0.02  # how often the server looks for kernels that exited


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _become_kernel(request: dict, inherited: list[socket.socket]) -> None:
    """In the forked child: drop the server's sockets, take the caller's place, run ipykernel; never return."""
    code = 1
    try:
        for sock in inherited:
            sock.close()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = list(request["argv"])
        from ipykernel.kernelapp import launch_new_instance

        launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # the kernel failed to start: say why on stderr, exit non-zero
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(address: str, modules: list[str]) -> None:
    """Import ``modules``, listen on the Unix socket ``address``, fork a kernel per request."""
    import gc
    import importlib

    # What ipykernel would set before anything imports matplotlib (see IPKernelApp.init_gui_pylab).
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in modules:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()  # keep the imported objects' pages shared between the children (copy-on-write)

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(sys.stdin, selectors.EVENT_READ)
    kernels: dict[socket.socket, int] = {}
    print("ready", flush=True)

    def stop_all() -> None:
        for pid in kernels.values():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    try:
        while True:
            for key, _ in selector.select(timeout=POLL_SECONDS):
                if key.fileobj is sys.stdin:
                    if not sys.stdin.buffer.read1(4096):  # type: ignore[union-attr]  # stdin is a text file
                        return
                elif key.fileobj is listener:
                    conn, _ = listener.accept()
                    request = json.loads(_read_line(conn))
                    pid = os.fork()
                    if pid == 0:
                        _become_kernel(request, [listener, conn, *kernels])
                    kernels[conn] = pid
                    selector.register(conn, selectors.EVENT_READ)
                else:
                    kernel = key.fileobj
                    assert isinstance(
                        kernel, socket.socket
                    )  # only stdin, the listener and kernel sockets are registered
                    message = kernel.recv(64)
                    if message.startswith(b"interrupt"):
                        os.kill(kernels[kernel], signal.SIGINT)
                    elif not message:  # the launcher is gone: so is its kernel
                        os.kill(kernels[kernel], signal.SIGKILL)
            for conn, pid in list(kernels.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    try:
                        conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
                    except OSError:
                        pass
                    selector.unregister(conn)
                    conn.close()
                    del kernels[conn]
    finally:
        stop_all()


def launch(address: str, argv: list[str]) -> int:
    """Ask the server at ``address`` for a kernel running ``argv``; wait for it; return its exit status."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(address)
    conn.sendall(json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode() + b"\n")
    # The kernel manager interrupts a kernel with SIGINT to its process (group): pass it on.
    signal.signal(signal.SIGINT, lambda *_: conn.sendall(b"interrupt\n"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    status = _read_line(conn).strip()
    if not status:
        print("kernel fork server went away before the kernel exited", file=sys.stderr)
        return 1
    return int(status)


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "serve":
        serve(argv[1], argv[2:])
        return 0
    if len(argv) >= 4 and argv[0] == "launch" and argv[2] == "--":
        return launch(argv[1], argv[3:])
    raise SystemExit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
