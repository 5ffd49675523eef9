"""An X display for WebKitGTK's MiniBrowser, which has no headless mode: Debian's Xvfb on a free display number."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass

from engines.timeouts import EngineStartError


@dataclass
class Display:
    name: str  # ":N"
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _read_line(fd: int, timeout: float) -> str:
    """Up to the newline: Xvfb writes the number and the newline apart, and dies if the pipe closes between."""
    deadline = time.monotonic() + timeout
    text = b""
    while not text.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 64) if ready else b""
        if not chunk:
            break
        text += chunk
    return text.decode().strip()


def start_xvfb(timeout: float = 15.0) -> Display:
    """Start Xvfb; it picks a free display itself (-displayfd) and writes the number when ready to serve."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise EngineStartError("no Xvfb: install Debian's xvfb")
    read_end, write_end = os.pipe()
    # -noreset: by default the server resets when its last client leaves, and a browser process connecting
    # during that reset fails with "cannot open display" (the driver then waits for a window forever).
    command = [binary, "-displayfd", str(write_end), "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset"]
    process = subprocess.Popen(
        command, pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    os.close(write_end)
    try:
        number = _read_line(read_end, timeout)
    finally:
        os.close(read_end)
    if not number.isdigit() or process.poll() is not None:
        process.kill()
        _, errors = process.communicate(timeout=5)
        tail = errors.decode(errors="replace").strip()[-300:]
        raise EngineStartError(f"Xvfb gave no display within {timeout:.0f} s: {tail or 'no output'}")
    return Display(f":{number}", process)
