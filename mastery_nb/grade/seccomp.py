"""A seccomp filter for the sandboxed child: the few system calls that break the sandbox.

Not an allow-list of everything Python may do (that changes with every library), but a
deny-list of the calls that would let learner code out of what the rest of the sandbox
builds, each for a reason:

- native code of its own: ``memfd_create`` (the only writable file that could be mapped
  executable; every writable mount is ``noexec``), and new user or mount namespaces
  (``unshare``, ``clone`` with namespace flags, ``clone3``, ``setns``, ``mount`` and the new
  mount API), where it could mount a filesystem of its own without ``noexec``;
- a second thread (``clone`` with ``CLONE_THREAD``): learner code running beside the
  tests could change what a test relies on after the grader restored it (Python 3.11
  has no audit event for a new thread; processes, which share nothing, are allowed);
- other processes' memory: ``ptrace``, ``process_vm_readv``/``writev``, ``pidfd_getfd``;
- frames of the grading code: no new signal handlers (``rt_sigaction`` that sets one),
  because a Python signal handler receives the interrupted frame, and from it the whole
  stack; the runner's own handlers are set before the filter;
- the kernel's rarer attack surface: ``bpf``, ``perf_event_open``, ``userfaultfd``,
  ``io_uring_*``, ``keyctl``, module loading, ``kexec``, ``personality``, file handles.

Denied calls fail with ``EPERM`` (``clone3`` with ``ENOSYS``, so the C library falls back to
``clone``, which the filter can inspect). Requires ``no_new_privs`` (set before).
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct

from mastery_nb.grade.libc import check, libc

__all__ = ["install_filter", "prepare_filter", "supported"]

PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000

# BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JSET_K = 0x45
_RET_K = 0x06

_X32_BIT = 0x40000000
#: CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME, and
#: CLONE_THREAD: no second thread (learner code running beside the tests)
_DENIED_CLONE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
_DENIED_CLONE_FLAGS |= 0x20000000 | 0x40000000 | 0x00000080 | 0x00010000

_DENIED = [
    "memfd_create",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "pidfd_getfd",
    "userfaultfd",
    "perf_event_open",
    "bpf",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "keyctl",
    "add_key",
    "request_key",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "personality",
    "open_by_handle_at",
    "name_to_handle_at",
    "swapon",
    "swapoff",
    "reboot",
    "acct",
]

#: (audit arch, syscall numbers) per machine
# fmt: off
_ARCHES: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (
        0xC000003E,
        {
            "memfd_create": 319, "ptrace": 101, "process_vm_readv": 310,
            "process_vm_writev": 311, "pidfd_getfd": 438, "userfaultfd": 323,
            "perf_event_open": 298, "bpf": 321, "kexec_load": 246, "kexec_file_load": 320,
            "init_module": 175, "finit_module": 313, "delete_module": 176, "mount": 165,
            "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308,
            "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
            "fsmount": 432, "fspick": 433, "mount_setattr": 442, "keyctl": 250,
            "add_key": 248, "request_key": 249, "io_uring_setup": 425, "io_uring_enter": 426,
            "io_uring_register": 427, "personality": 135, "open_by_handle_at": 304,
            "name_to_handle_at": 303, "swapon": 167, "swapoff": 168, "reboot": 169,
            "acct": 163, "clone": 56, "clone3": 435, "rt_sigaction": 13,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "memfd_create": 279, "ptrace": 117, "process_vm_readv": 270,
            "process_vm_writev": 271, "pidfd_getfd": 438, "userfaultfd": 282,
            "perf_event_open": 241, "bpf": 280, "kexec_load": 104, "kexec_file_load": 294,
            "init_module": 105, "finit_module": 273, "delete_module": 106, "mount": 40,
            "umount2": 39, "pivot_root": 41, "chroot": 51, "unshare": 97, "setns": 268,
            "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
            "fsmount": 432, "fspick": 433, "mount_setattr": 442, "keyctl": 219,
            "add_key": 217, "request_key": 218, "io_uring_setup": 425, "io_uring_enter": 426,
            "io_uring_register": 427, "personality": 92, "open_by_handle_at": 265,
            "name_to_handle_at": 264, "swapon": 224, "swapoff": 225, "reboot": 142,
            "acct": 89, "clone": 220, "clone3": 435, "rt_sigaction": 134,
        },
    ),
}
# fmt: on


def supported() -> bool:
    return os.uname().machine in _ARCHES


def _program(arch: int, numbers: dict[str, int], x86: bool) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions."""
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    prog: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, deny),  # another ABI (i386 through int 0x80): nothing
        (_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if x86:  # x32 system calls carry a high bit: refuse them all
        prog += [(_JSET_K, 0, 1, _X32_BIT), (_RET_K, 0, 0, deny)]
    for name in _DENIED:
        prog += [(_JEQ_K, 0, 1, numbers[name]), (_RET_K, 0, 0, deny)]
    prog += [
        # rt_sigaction(sig, act, oact): only queries (act == NULL)
        (_JEQ_K, 0, 6, numbers["rt_sigaction"]),
        (_LD_W_ABS, 0, 0, 24),  # args[1], low half
        (_JEQ_K, 0, 2, 0),
        (_LD_W_ABS, 0, 0, 28),  # args[1], high half
        (_JEQ_K, 1, 0, 0),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        (_JEQ_K, 0, 1, numbers["clone3"]),
        (_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.ENOSYS),
        (_JEQ_K, 0, 3, numbers["clone"]),
        (_LD_W_ABS, 0, 0, 16),  # low 32 bits of args[0]: the clone flags
        (_JSET_K, 0, 1, _DENIED_CLONE_FLAGS),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return prog


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


#: the filter for this machine, built once in the zygote and inherited by every child
#: (building it costs milliseconds a child would pay on the attempt's clock)
_PREPARED: tuple[ctypes.Array[ctypes.c_char], _SockFprog] | None = None


def _prepared() -> tuple[ctypes.Array[ctypes.c_char], _SockFprog] | None:
    global _PREPARED
    machine = os.uname().machine
    if machine not in _ARCHES:
        return None
    if _PREPARED is None:
        arch, numbers = _ARCHES[machine]
        program = _program(arch, numbers, machine == "x86_64")
        raw = b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
        buffer = ctypes.create_string_buffer(raw, len(raw))
        _PREPARED = (buffer, _SockFprog(len(program), ctypes.cast(buffer, ctypes.c_void_p)))
    return _PREPARED


def prepare_filter() -> None:
    """Build the filter now (the zygote calls this before forking, so children only install it)."""
    _prepared()


def install_filter() -> bool:
    """Install the filter on this process (inherited by every child); False if unsupported.

    Raises OSError when the kernel refuses it.
    """
    prepared = _prepared()
    if prepared is None:
        return False
    _buffer, fprog = prepared
    check(
        libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0),
        "seccomp filter",
    )
    return True
