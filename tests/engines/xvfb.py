"""An X display for WebKitGTK's MiniBrowser, which has no headless mode: Debian's Xvfb on a free display number."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
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


def start_xvfb(timeout: float = 15.0) -> Display:
    """Start Xvfb; it picks a free display itself (-displayfd) and writes the number when ready to serve."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise EngineStartError("no Xvfb: install Debian's xvfb")
    read_end, write_end = os.pipe()
    command = [binary, "-displayfd", str(write_end), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"]
    process = subprocess.Popen(
        command, pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], timeout)
        number = os.read(read_end, 64).decode().strip() if ready else ""
    finally:
        os.close(read_end)
    if not number.isdigit():
        process.kill()
        _, errors = process.communicate(timeout=5)
        tail = errors.decode(errors="replace").strip()[-300:]
        raise EngineStartError(f"Xvfb gave no display within {timeout:.0f} s: {tail or 'no output'}")
    return Display(f":{number}", process)
