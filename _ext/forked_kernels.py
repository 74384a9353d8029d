"""Start the build's kernels by forking a process that has already imported the kernel's libraries.

A stock kernel is a new Python process that imports ipykernel, IPython, numpy and matplotlib
before the notebook's first line runs: about 1.4 s of CPU, 17 times per build, on a 2-core
machine (nearly a third of the notebooks' CPU). Here the build starts one *zygote*: a new interpreter
(``python forked_kernels.py SOCKET``) that imports those libraries, nothing of the notebooks or of
``bplib``, and waits. For each notebook, parallel_execution.py's kernel manager asks the zygote for
a kernel over a Unix socket; the zygote forks, and the child becomes a kernel as
``python -m ipykernel_launcher -f FILE`` would: its own process and session, the notebook's folder
as working directory and ``sys.path[0]``, the environment the kernel manager built, fresh random
states, and every other import done by the notebook's own cells. Each kernel is a copy
of the zygote, never of an earlier kernel: nothing passes from one notebook to the next.

What a fork cannot reproduce is a library that reads the environment or the running shell when it
is imported, hence the short PRELOAD list; the only such setting a kernel changes for these is
``MPLBACKEND`` (ipykernel sets the inline backend unless the environment names one), which the
zygote sets the same way before importing matplotlib. tests/test_forked_kernels.py runs notebooks
both ways and compares every output; the tests also run every notebook again under nbval, each in
a stock kernel.

On a system without fork (Windows), for a launch command that is not ``-m ipykernel_launcher`` of
this interpreter, or when the zygote is not there or has died, the kernel is started as
jupyter_client starts one.
"""
import os
import pickle
import signal
import socket
import struct
import sys
import time
import uuid

# Imported by every kernel (IPython, ipykernel) or by every notebook's first cell (numpy, pyplot).
# Not ipykernel.kernelapp: its class reads JPY_PARENT_PID, which differs per kernel, when imported;
# not matplotlib_inline.backend_inline: it hooks into the running IPython shell when imported.
PRELOAD = ("IPython", "ipykernel.ipkernel", "ipykernel.zmqshell", "numpy", "matplotlib",
           "matplotlib.pyplot")

SOCKET_VARIABLE = "BPLIB_KERNEL_ZYGOTE"  # the zygote's socket, for the build's worker processes
PID_VARIABLE = "BPLIB_KERNEL_ZYGOTE_PID"  # and its pid: a zygote that died is not waited for
launched = []  # pids of the kernels this process had forked


def supported():
    """Fork, sessions and Unix sockets: not on Windows, where kernels start as usual."""
    return all(hasattr(os, name) for name in ("fork", "setsid", "wait4")) and hasattr(socket, "AF_UNIX")


def start_zygote(socket_path):
    """Start the zygote (a new interpreter) listening on ``socket_path``, and tell the processes
    this one starts from now on where it is; returns its Popen."""
    import subprocess
    process = subprocess.Popen([sys.executable, os.path.abspath(__file__), socket_path],
                               stdin=subprocess.DEVNULL)
    os.environ[SOCKET_VARIABLE], os.environ[PID_VARIABLE] = socket_path, str(process.pid)
    return process


def stop_zygote(process):
    process.terminate()
    process.wait()
    for name in (SOCKET_VARIABLE, PID_VARIABLE):
        os.environ.pop(name, None)


def _send(sock, obj):
    data = pickle.dumps(obj)
    sock.sendall(struct.pack("!I", len(data)) + data)


def _receive(sock):
    def exactly(n):
        chunks = b""
        while len(chunks) < n:
            chunk = sock.recv(n - len(chunks))
            if not chunk:
                raise EOFError("the zygote closed the connection")
            chunks += chunk
        return chunks
    return pickle.loads(exactly(struct.unpack("!I", exactly(4))[0]))


def ask(request, wait=30.0):
    """Send one request to the zygote and return its answer (waits for it to start listening)."""
    socket_path = os.environ[SOCKET_VARIABLE]
    deadline = time.monotonic() + wait
    while True:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(socket_path)
                _send(sock, request)
                return _receive(sock)
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline or not _zygote_alive():
                raise
            time.sleep(0.05)


def _zygote_alive():
    try:
        os.kill(int(os.environ[PID_VARIABLE]), 0)
    except (KeyError, ValueError):
        return True  # not told: wait until the deadline
    except ProcessLookupError:
        return False
    return True


def kernel_cpu_seconds(pid):
    """CPU seconds (user + system) of a forked kernel that has exited; 0 if unknown."""
    try:
        return ask(("cpu", pid), wait=0) if os.environ.get(SOCKET_VARIABLE) else 0.0
    except (OSError, EOFError):
        return 0.0


def serve(socket_path):
    """The zygote: import PRELOAD, then fork a kernel per request until its parent goes away."""
    parent = os.getppid()
    used = {}  # pid -> CPU seconds, for kernels that have exited

    def reap(*_):
        while True:
            try:
                pid, _status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            used[pid] = usage.ru_utime + usage.ru_stime

    signal.signal(signal.SIGCHLD, reap)  # a kernel's pid disappears as soon as it exits
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    clean_path = sys.path[1:]  # sys.path[0] is this file's folder, which is no kernel's
    if not os.environ.get("MPLBACKEND"):  # what ipykernel does before any cell runs
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    for name in PRELOAD:
        __import__(name)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(socket_path + ".tmp")
        os.rename(socket_path + ".tmp", socket_path)  # clients connect only once we listen
        server.listen(16)
        server.settimeout(1.0)
        try:
            while os.getppid() == parent:
                try:
                    connection, _ = server.accept()
                except socket.timeout:
                    continue
                with connection:
                    connection.settimeout(None)
                    request = _receive(connection)
                    if request[0] == "cpu":
                        reap()
                        _send(connection, used.pop(request[1], 0.0))
                        continue
                    _, cmd, env, cwd = request
                    pid = os.fork()
                    if pid == 0:
                        server.close()
                        _become_kernel(connection, cmd, env, cwd, clean_path)  # never returns
                    _send(connection, pid)
        finally:
            try:
                os.unlink(socket_path)
            except OSError:
                pass


def _become_kernel(connection, cmd, env, cwd, clean_path):
    """In the forked child: what `python -m ipykernel_launcher -f FILE` does in a new session."""
    code = 1
    try:
        connection.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel waits for its own children
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.setsid()                                     # as Popen(start_new_session=True)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.path[:] = [os.getcwd()] + clean_path        # `-m` puts the working directory first
        if "numpy.random" in sys.modules:  # its global state was seeded once, in the zygote
            sys.modules["numpy.random"].seed()  # (Python's random reseeds itself after a fork)
        import runpy
        sys.argv = [cmd[2]] + list(cmd[3:])
        try:
            runpy.run_module(cmd[2], run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        import atexit
        atexit._run_exitfuncs()
    except BaseException:
        import traceback
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def forkable(cmd):
    return (len(cmd) >= 3 and cmd[1] == "-m" and cmd[2] == "ipykernel_launcher"
            and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
            and bool(os.environ.get(SOCKET_VARIABLE)))


class ForkedProcess:
    """The part of subprocess.Popen that LocalProvisioner uses, for a kernel that is not this
    process's child (the zygote is its parent and reaps it): alive while its pid exists."""

    stdin = stdout = stderr = None

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # its exit status went to the zygote
        return self.returncode

    def wait(self):  # LocalProvisioner calls it once poll() has seen the kernel go
        while self.poll() is None:
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum):
        os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


def kernel_manager_class():
    """nbclient's AsyncKernelManager, with kernels forked from the zygote (imported late: the
    zygote itself needs none of jupyter_client)."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            if not forkable(cmd):
                return await super().launch_kernel(cmd, **kwargs)
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launch_kernel sets it
            cwd = str(kwargs.get("cwd") or os.getcwd())
            try:
                pid = ask(("spawn", cmd, env, cwd))  # a fork: milliseconds
            except (OSError, EOFError) as lost:
                self.log.warning(f"no kernel from the zygote ({lost!r}); starting one as usual")
                return await super().launch_kernel(cmd, **kwargs)
            launched.append(pid)
            self.process = ForkedProcess(pid)
            self.pid = self.pgid = pid  # the child calls setsid(): its pid is its process group
            self.cwd = cwd
            return self.connection_info

    class ForkedKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id,
                                                     kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

    return ForkedKernelManager


if __name__ == "__main__":
    serve(sys.argv[1])
