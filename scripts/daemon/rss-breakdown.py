#!/usr/bin/env python3
"""Where a running process's resident pages are: by mapping, and for its executable by ELF section and by module.

Usage: scripts/daemon/rss-breakdown.py PID [--modules N]

Reads /proc/PID/maps and /proc/PID/pagemap (root, or the process's owner with CAP_SYS_ADMIN, to see page presence)
and the executable's section headers and symbols (readelf, nm). A page counts as resident when pagemap marks it
present. The module of a code page is the one of the function at the page's start (Swift mangled names carry
their module); `C/C++` is everything else. This is how docs/perchd.md's breakdown of perchd's resident set was
made: code pages far from the ones in use mean the layout (packaging/perchd.order) is stale or incomplete.
"""
import argparse
import bisect
import collections
import re
import struct
import subprocess

PAGE = 4096


def present_pages(pagemap, start, end):
    pagemap.seek(start // PAGE * 8)
    data = pagemap.read((end - start) // PAGE * 8)
    return [start + i * PAGE for i in range(len(data) // 8) if struct.unpack_from("<Q", data, i * 8)[0] >> 63]


def swift_module(name):
    match = re.match(r"\$s(\d+)", name)
    if match:
        length = int(match.group(1))
        begin = 2 + len(match.group(1))
        return name[begin:begin + length]
    return "Swift (stdlib)" if name.startswith("$s") else "C/C++"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pid", type=int)
    parser.add_argument("--modules", type=int, default=20, help="how many modules to list")
    args = parser.parse_args()

    mappings = []
    for line in open(f"/proc/{args.pid}/maps"):
        fields = line.split()
        low, high = (int(x, 16) for x in fields[0].split("-"))
        mappings.append((low, high, int(fields[2], 16), fields[5] if len(fields) > 5 else "[anonymous]"))
    executable = subprocess.run(["readlink", f"/proc/{args.pid}/exe"], capture_output=True, text=True).stdout.strip()
    # The load bias: where the executable's first mapping (file offset 0, virtual address 0 of a PIE) landed.
    bias = min(low for low, _, offset, path in mappings if path == executable and offset == 0)

    sections = []
    headers = subprocess.run(["readelf", "-SW", executable], capture_output=True, text=True, check=True).stdout
    for line in headers.splitlines():
        match = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if match and int(match.group(2), 16):
            sections.append((int(match.group(2), 16), int(match.group(3), 16), match.group(1)))
    sections.sort()
    section_starts = [s[0] for s in sections]

    functions = []
    symbols = subprocess.run(["nm", "-n", "--defined-only", executable], capture_output=True, text=True).stdout
    for line in symbols.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "tTwW":
            functions.append((int(fields[0], 16), fields[2]))
    function_starts = [f[0] for f in functions]

    by_mapping = collections.Counter()
    by_section = collections.Counter()
    by_module = collections.Counter()
    with open(f"/proc/{args.pid}/pagemap", "rb") as pagemap:
        for low, high, _, path in mappings:
            for page in present_pages(pagemap, low, high):
                if path != executable:
                    by_mapping[path] += 1
                    continue
                by_mapping["(executable) " + executable] += 1
                address = page - bias
                index = bisect.bisect_right(section_starts, address) - 1
                inside = index >= 0 and address < sections[index][0] + sections[index][1] + PAGE
                name = sections[index][2] if inside else "(between sections)"
                by_section[name] += 1
                if name == ".text" and functions:
                    function = bisect.bisect_right(function_starts, address) - 1
                    by_module[swift_module(functions[function][1]) if function >= 0 else "?"] += 1

    def table(title, counter, limit):
        print(f"{title}: {sum(counter.values()) * PAGE / 2**20:.2f} MiB")
        for key, pages in counter.most_common(limit):
            print(f"  {pages * PAGE / 2**20:7.2f} MiB  {key}")

    table("resident, by mapping", by_mapping, 15)
    table("executable, by section", by_section, 15)
    table("executable .text, by module", by_module, args.modules)


if __name__ == "__main__":
    main()
