"""Checks the AVX2 build of the solvers (native/src/cpu/form_solvers.cpp) for code it must not share with the baseline.

Usage: check_isa_objects.py OBJDUMP NM OBJECT...

An inline function or template instance is emitted as a weak symbol by every object that uses it, and the linker keeps
one copy. Any such symbol that the AVX2 object emits outside the inline namespace avx2 (src/core/isa.hpp) is also
emitted by the baseline objects under the same name. So its AVX2 copy must hold no AVX instruction, or the baseline
could run it on a CPU without AVX. Fails, naming the functions, when one does; also fails when no function of the
namespace holds an AVX instruction, since then the build did not compile for AVX2 at all. (Not the 256-bit registers:
a sanitizer build at -O2 vectorises nothing, but its scalar arithmetic is still VEX-encoded.)
"""
import re
import subprocess
import sys

AVX2_NAMESPACE = "4avx2"  # how the namespace name appears inside a mangled name
FUNCTION_START = re.compile(r"^[0-9a-f]+ <(.+)>:$")
INSTRUCTION = re.compile(r"^\s+[0-9a-f]+:\s+(\S+)\s*(.*)$")


def weak_symbols(nm, obj):
    out = subprocess.run([nm, "--defined-only", obj], check=True, capture_output=True, text=True).stdout
    rows = (line.split() for line in out.splitlines())
    return {fields[2] for fields in rows if len(fields) == 3 and fields[1] == "W"}


def functions(objdump, obj):
    """(mangled name, [(mnemonic, operands)]) for every function in obj's text sections."""
    out = subprocess.run([objdump, "-d", "-w", "--no-show-raw-insn", obj], check=True, capture_output=True,
                         text=True).stdout
    name, body = None, []
    for line in out.splitlines():
        start = FUNCTION_START.match(line)
        if start:
            if name is not None:
                yield name, body
            name, body = start.group(1), []
            continue
        instruction = INSTRUCTION.match(line)
        if name is not None and instruction:
            body.append((instruction.group(1), instruction.group(2)))
    if name is not None:
        yield name, body


def is_avx(mnemonic):
    # Every VEX-encoded instruction's mnemonic starts with "v"; no SSE or scalar instruction a compiler emits does.
    return mnemonic.startswith("v")


def main():
    objdump, nm, objects = sys.argv[1], sys.argv[2], sys.argv[3:]
    shared_with_avx, namespace_uses_avx, shared_count = [], False, 0
    for obj in objects:
        weak = weak_symbols(nm, obj)
        for name, body in functions(objdump, obj):
            if AVX2_NAMESPACE in name:
                namespace_uses_avx = namespace_uses_avx or any(is_avx(mnemonic) for mnemonic, _ in body)
            elif name in weak:
                shared_count += 1
                if any(is_avx(mnemonic) for mnemonic, _ in body):
                    shared_with_avx.append(name)
    print(f"{shared_count} weak functions outside the avx2 namespace checked")
    if shared_with_avx:
        print("compiled with AVX instructions, yet shared by name with the baseline objects "
              "(include their headers before the target pragma in form_solvers.cpp):")
        for name in shared_with_avx:
            print("  " + subprocess.run(["c++filt", name], capture_output=True, text=True).stdout.strip())
        return 1
    if not namespace_uses_avx:
        print("no function of the avx2 namespace holds an AVX instruction: the object was not compiled for AVX2")
        return 1
    if shared_count == 0:
        print("found no weak function outside the avx2 namespace: the check had nothing to look at")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
