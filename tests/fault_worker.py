"""The child side of tests/test_faults.py: runs `merit` commands in forked processes and lets
them be killed at a chosen instant.

Imports (pandas, OR-Tools, openpyxl) take longer than a small run, so this worker imports
merit and warms it up once, then forks one child per command: each child starts at once and
a kill lands in the work itself. Jobs arrive as JSON lines on stdin; each answer is a JSON
line on stdout. A job is {"runs": [command, ...]} (commands forked together, e.g. two
writers); a command is {"args": [...], "cwd": ..., "log": ..., and optionally "kill_after"
(seconds; SIGKILL then), "fsize" (bytes any file may grow to: a full disk) and "nobody" (drop
root, so a read-only folder is read-only)}.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
from contextlib import redirect_stderr, redirect_stdout, suppress
from typing import Any

from merit.cli import main

NOBODY = 65534


def _child(cmd: dict[str, Any]) -> None:
    os.chdir(cmd["cwd"])
    log = os.open(cmd["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    if cmd.get("fsize"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails: EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (cmd["fsize"], cmd["fsize"]))
    if cmd.get("nobody") and os.geteuid() == 0:
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    code = 0
    try:
        main(cmd["args"], prog_name="merit")
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 99
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _fork(cmd: dict[str, Any]) -> int:
    pid = os.fork()
    if pid == 0:
        _child(cmd)
    return pid


def _serve() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        start = time.perf_counter()
        pids = [_fork(cmd) for cmd in job["runs"]]
        kills = [(c.get("kill_after"), p) for p, c in zip(pids, job["runs"], strict=True)]
        for kill_after, pid in sorted(k for k in kills if k[0] is not None):
            delay = start + kill_after - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            with suppress(ProcessLookupError):  # SIGKILL, as `kill -9`: no cleanup runs
                os.kill(pid, signal.SIGKILL)
        answers = []
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            answers.append(
                {
                    "killed": os.WIFSIGNALED(status),
                    "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                }
            )
        elapsed = time.perf_counter() - start
        print(json.dumps({"results": answers, "seconds": elapsed}), flush=True)


if __name__ == "__main__":
    warm = json.loads(sys.argv[1]) if len(sys.argv) > 1 else None
    if warm:  # one full run in this process: every module a child needs is imported now
        os.chdir(warm["cwd"])
        with (
            open(os.devnull, "w") as sink,
            redirect_stdout(sink),
            redirect_stderr(sink),
            suppress(SystemExit),
        ):
            main(warm["args"], prog_name="merit")
    print(json.dumps({"ready": True}), flush=True)
    _serve()
