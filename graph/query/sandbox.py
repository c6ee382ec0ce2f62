"""The second line behind the safety gate: the child process that evaluates a query on a
local store gets no network.

:func:`deny_network` installs a seccomp filter (through the system's libseccomp, loaded
with ctypes) under which ``socket()`` for IPv4/IPv6 and every ``connect()`` fail with
EPERM, so even a query the gate misread cannot make Oxigraph send a request. The filter
holds for the rest of the process's life, which is why only the forked child calls it.
Where libseccomp is missing (not Linux, a minimal container) it returns ``False`` and
the gate alone guards.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import socket
from functools import lru_cache

__all__ = ["deny_network", "available"]

_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_CMP_EQ = 4


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64),
                ("datum_b", ctypes.c_uint64)]


@lru_cache(maxsize=1)
def _libseccomp():
    for name in ("libseccomp.so.2", ctypes.util.find_library("seccomp")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name, use_errno=True)
        except OSError:
            continue
        lib.seccomp_init.restype = ctypes.c_void_p
        lib.seccomp_init.argtypes = [ctypes.c_uint32]
        lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                               ctypes.POINTER(_ArgCmp)]
        lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
        lib.seccomp_load.argtypes = [ctypes.c_void_p]
        lib.seccomp_release.argtypes = [ctypes.c_void_p]
        return lib
    return None


def available() -> bool:
    """Whether libseccomp can be loaded here (call before forking, so the child inherits it)."""
    return _libseccomp() is not None


def deny_network() -> bool:
    """Forbid this process to open internet sockets or connect anywhere, for good.

    Returns
    -------
    bool
        Whether the filter is in place.
    """
    lib = _libseccomp()
    if lib is None:
        return False
    ctx = lib.seccomp_init(_ALLOW)
    if not ctx:
        return False
    deny = _ERRNO | errno.EPERM
    try:
        sock = lib.seccomp_syscall_resolve_name(b"socket")
        connect = lib.seccomp_syscall_resolve_name(b"connect")
        for family in (socket.AF_INET, socket.AF_INET6):
            cmp = (_ArgCmp * 1)(_ArgCmp(0, _CMP_EQ, family, 0))
            if lib.seccomp_rule_add_array(ctx, deny, sock, 1, cmp) != 0:
                return False
        if lib.seccomp_rule_add_array(ctx, deny, connect, 0, None) != 0:
            return False
        return lib.seccomp_load(ctx) == 0
    finally:
        lib.seccomp_release(ctx)
