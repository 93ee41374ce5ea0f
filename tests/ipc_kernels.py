"""Every kernel the tests start talks over IPC sockets, never TCP.

With TCP the client picks free ports and the kernel binds them a moment later; with two test
workers another kernel, a server or a browser's connection can take one first, and the kernel
dies with "Address already in use" (seen in fresh-clone runs of ``make test``: a build's
kernel, then a Voila kernel's heartbeat). The build's and the grader's runner does the same
(``vientiane_teacher.runner.execute``), and so does ``make present``.
"""

from __future__ import annotations

import shutil
import tempfile

from jupyter_client.manager import KernelManager

# For a Jupyter server: its kernels' sockets go beside their connection files (runtime folder).
SERVER_ARGS = ["--KernelManager.transport=ipc"]
_FOLDERS: list[str] = []


def short_folder(prefix: str = "vientiane-rt-") -> str:
    """A new folder with a short path (a socket's path may be at most 107 bytes), removed by
    ``remove_folders`` at the end of the session."""
    folder = tempfile.mkdtemp(prefix=prefix)
    _FOLDERS.append(folder)
    return folder


class IpcKernelManager(KernelManager):
    """A ``KernelManager`` whose kernel listens on IPC sockets in a folder of its own."""

    def __init__(self, **kwargs):
        super().__init__(transport="ipc", ip=f"{short_folder('vientiane-kernel-')}/kernel", **kwargs)


def use_for_nbval() -> None:
    """nbval starts its kernels with ``nbval.kernel.KernelManager`` and takes no configuration."""
    import nbval.kernel

    nbval.kernel.KernelManager = IpcKernelManager


def remove_folders() -> None:
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
    _FOLDERS.clear()
