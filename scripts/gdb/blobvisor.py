# gdb helper for blobvisor: `blobvisor-symbols LOG [DIR...]' runs the
# add-symbol-file lines that `blob gdb' printed into LOG (a serial log of
# `make qemu-gdb', or a saved session), finding each object under DIR...
# (default: build/samples build/vendor build/loader-tests . and Debian's
# library directory).  Objects named `ARCHIVE(MEMBER)' are extracted with
# `ar p' into a temporary directory first.  Hosted blobvisor needs none of
# this: gdb's JIT interface sees every loaded blob by itself.
import os
import re
import shlex
import subprocess
import tempfile

import gdb

DEFAULT_DIRS = ["build/samples", "build/vendor", "build/loader-tests", ".",
                "/usr/lib/x86_64-linux-gnu"]
MEMBER = re.compile(r"^(?P<ar>.+)\((?P<member>[^()]+)\)$")


def find(name, dirs):
    if os.path.isabs(name) and os.path.exists(name):
        return name
    for d in dirs:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    return None


def resolve(name, dirs, tmp):
    m = MEMBER.match(name)
    if not m:
        return find(name, dirs)
    archive = find(m.group("ar"), dirs)
    if not archive:
        return None
    out = os.path.join(tmp, m.group("ar").replace("/", "_") + "-" + m.group("member"))
    with open(out, "wb") as f:
        if subprocess.run(["ar", "p", archive, m.group("member")], stdout=f).returncode:
            return None
    return out


class BlobvisorSymbols(gdb.Command):
    """Load blob symbols from `blob gdb' output: blobvisor-symbols LOG [DIR...]"""

    def __init__(self):
        super().__init__("blobvisor-symbols", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            raise gdb.GdbError("usage: blobvisor-symbols LOG [DIR...]")
        dirs = args[1:] or DEFAULT_DIRS
        tmp = tempfile.mkdtemp(prefix="blobvisor-gdb-")
        n = 0
        with open(args[0], errors="replace") as log:
            lines = [l.strip().replace("\r", "") for l in log]
        for line in lines:
            if not line.startswith("add-symbol-file "):
                continue
            rest = line[len("add-symbol-file "):].split(" ", 1)
            path = resolve(rest[0], dirs, tmp)
            if not path:
                print("blobvisor-symbols: %s: not found under %s" % (rest[0], " ".join(dirs)))
                continue
            gdb.execute("add-symbol-file %s %s" % (shlex.quote(path), rest[1] if len(rest) > 1 else ""),
                        to_string=True)
            n += 1
        print("blobvisor-symbols: %d object%s added" % (n, "" if n == 1 else "s"))


BlobvisorSymbols()
