#!/usr/bin/env python3
"""What nvcc makes of the CUDA kernels, read without a GPU (docs/CUDA.md): registers, spills and stack of every solve
kernel and of each device function it calls rather than inlines (ptxas -v), the local-memory accesses (LDL/STL: spills
and objects on the stack) inside the solve kernels' innermost loops, and the innermost loops of the team routines in
inner_loops.cu, with their instructions, multiply-adds and loads. A loop is a backward branch; innermost means that no
other backward branch lies inside it.

    native/bench/gpu/kernel_code.py [--arch sm_90] [--nvcc nvcc] [--ccbin g++-11] [--inner-only] [-D NAME=VALUE]

Exits 1 when a routine of inner_loops.cu shows no loop with a multiply-add (the file no longer matches the routines).
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SOLVE_SOURCES = sorted((ROOT / "native/src/cuda").glob("solve_*.cu"))
INSTRUCTION = re.compile(r"^\s+/\*([0-9a-f]{4,})\*/\s+(.*?);")


def compile_cubin(args, source, cubin):
    command = [args.nvcc, "-std=c++17", "-O3", f"-arch={args.arch}", "-cubin", "-Xptxas", "-v",
               f"-I{ROOT / 'native/include'}", "-o", str(cubin), str(source)]
    if args.ccbin:
        command[1:1] = ["-ccbin", args.ccbin]
    command[1:1] = [f"-D{define}" for define in args.define]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"nvcc failed on {source.name}:\n{done.stderr}")
    return done.stderr


def cuobjdump_beside(nvcc):
    """The toolkit's cuobjdump next to nvcc (the GPU machines' /usr/local/cuda/bin), else the one on the PATH."""
    found = shutil.which(nvcc)
    beside = pathlib.Path(found).resolve().parent / "cuobjdump" if found else None
    return str(beside) if beside and beside.exists() else "cuobjdump"


def kernel_resources(ptxas_log):
    """{kernel: (registers, [(function, spill stores, spill loads, stack)])} from ptxas -v: the entry function first,
    then each device function that it calls (ptxas reports their properties after the entry's; they share its
    registers)."""
    kernels, kernel, function = {}, None, None
    for line in ptxas_log.splitlines():
        if m := re.search(r"Compiling entry function '(\w+)'", line):
            kernel = m.group(1)
            kernels[kernel] = [0, []]
        elif m := re.search(r"Function properties for (\S+)", line):
            function = m.group(1)
        elif (m := re.search(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads", line)) \
                and kernel and function:
            kernels[kernel][1].append((function, int(m.group(2)), int(m.group(3)), int(m.group(1))))
        elif (m := re.search(r"Used (\d+) registers", line)) and kernel:
            kernels[kernel][0] = int(m.group(1))
    return kernels


def callee_name(mangled):
    """solve_lqr_in from _ZN3ttc4core8baseline12solve_lqr_inI...: the last length-prefixed name before the template
    arguments."""
    name, at = mangled, mangled.find("N") + 1 if mangled.startswith("_ZN") else 2
    while (m := re.match(r"(\d+)", mangled[at:])):
        length = int(m.group(1))
        name = mangled[at + len(m.group(1)):at + len(m.group(1)) + length]
        at += len(m.group(1)) + length
    return name


def readable(mangled):
    """forward_kernel<DiscountedForm, float> from its mangled name (enough for these kernels)."""
    m = re.search(r"(forward_kernel|backward_kernel)INS0_\d+(Explicit|Discounted)FormE([fd])", mangled)
    return f"{m.group(1)}<{m.group(2)}, {'float' if m.group(3) == 'f' else 'double'}>" if m else mangled


def functions(sass):
    """{kernel: [(address, instruction)]} from cuobjdump -sass."""
    out, current = {}, None
    for line in sass.splitlines():
        if m := re.search(r"Function : (\S+)", line):
            current = m.group(1)
            out[current] = []
        elif current and (m := INSTRUCTION.match(line)):
            out[current].append((int(m.group(1), 16), m.group(2).strip()))
    return out


def innermost_loops(code):
    """(first, last) index pairs of the loops that hold no other loop."""
    index = {address: i for i, (address, _) in enumerate(code)}
    loops = []
    for i, (address, text) in enumerate(code):
        m = re.search(r"\bBRA\s+(?:`?\(?)0x([0-9a-f]+)", text)
        if m and int(m.group(1), 16) <= address and int(m.group(1), 16) in index:
            loops.append((index[int(m.group(1), 16)], i))
    return [(a, b) for a, b in loops if not any(a <= c and d <= b and (c, d) != (a, b) for c, d in loops)]


def local_traffic_in_loops(code):
    """(innermost loops, LDL/STL inside them) over a kernel's code and its callees."""
    loops = innermost_loops(code)
    return len(loops), sum(1 for first, last in loops for _, text in code[first:last + 1]
                           if re.search(r"\b(LDL|STL)\b", text))


def describe(code, first, last):
    body = [text for _, text in code[first:last + 1]]
    count = lambda pattern: sum(1 for t in body if re.search(pattern, t))
    return (len(body), count(r"\b[FD]FMA\b"), count(r"\bLD[GS]\.E(?!\.128)"), count(r"\bLD[GS]\.E\.128"),
            count(r"\bST[GS]\b"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="sm_90")
    parser.add_argument("--nvcc", default="nvcc")
    parser.add_argument("--ccbin", default=None, help="host compiler for nvcc (CI's nvcc 11.8 needs g++-11)")
    parser.add_argument("--inner-only", action="store_true", help="only inner_loops.cu (seconds, not minutes)")
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="NAME=VALUE",
                        help="a macro for nvcc, e.g. -D TTC_CUDA_F32_MIN_BLOCKS=1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.inner_only:
            print(f"# solve kernels, {args.arch}: registers a thread; spill stores / loads and stack frame (bytes) of "
                  "the kernel and of each device function it calls; local-memory accesses (LDL/STL) inside the "
                  "innermost loops of both")
        for source in [] if args.inner_only else SOLVE_SOURCES:
            cubin = pathlib.Path(tmp) / "solve.cubin"
            resources = kernel_resources(compile_cubin(args, source, cubin))
            code = functions(subprocess.run([cuobjdump_beside(args.nvcc), "-sass", str(cubin)], capture_output=True,
                                            text=True, check=True).stdout)
            for name, (registers, parts) in resources.items():
                if "value_check" in name:
                    continue
                loops, local = local_traffic_in_loops(code.get(name, []))
                print(f"{readable(name):45s} {registers:4d} registers  {local:4d} LDL/STL in its {loops} innermost "
                      "loops")
                for function, stores, loads, stack in parts:
                    label = "  the kernel" if function == name else f"  calls {callee_name(function)}"
                    print(f"{label:45s} spills {stores:5d} / {loads:5d}  stack {stack:5d}")
        cubin = pathlib.Path(tmp) / "inner.cubin"
        compile_cubin(args, HERE / "inner_loops.cu", cubin)
        sass = subprocess.run([cuobjdump_beside(args.nvcc), "-sass", str(cubin)], capture_output=True, text=True,
                              check=True).stdout
    print(f"\n# innermost loops of inner_loops.cu, {args.arch}: instructions, multiply-adds, loads (4- or 8-byte and "
          "16-byte), stores")
    without_loops = []
    for name, code in sorted(functions(sass).items()):
        short = re.match(r"_Z\d+([a-z_]+)", name).group(1)
        found = False
        for first, last in innermost_loops(code):
            size, fma, loads, wide, stores = describe(code, first, last)
            if fma:
                found = True
                print(f"{short:20s} loop at 0x{code[first][0]:05x}: {size:4d} instructions, {fma:3d} FMA, "
                      f"{loads:3d} + {wide:3d} loads, {stores:2d} stores")
        if not found:
            without_loops.append(short)
    if without_loops:
        sys.exit(f"no loop with a multiply-add in: {', '.join(without_loops)}")


if __name__ == "__main__":
    main()
