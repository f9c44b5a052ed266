#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw lines of a `make bench` run into OUT.json, OUT.png (gnuplot)
and the one summary line. Medians over the interleaved rounds; ratios only
between numbers measured in the same guest run."""
import argparse
import json
import os
import platform
import statistics
import subprocess
from collections import defaultdict

ap = argparse.ArgumentParser()
for a in ("out", "results", "host", "perf-dir", "kernel", "date", "jool-note"):
    ap.add_argument("--" + a, default="")
ap.add_argument("--seconds", type=int, default=0)
args = ap.parse_args()

runs = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
unavailable = []
with open(args.results) as f:
    for line in f:
        w = line.split()
        if len(w) != 4:
            continue
        metric, who, key, val = w
        if metric == "unavailable":
            if who not in unavailable:
                unavailable.append(who)
            continue
        runs[metric][who][key].append(float(val))


def med(metric, who, key):
    v = runs[metric].get(who, {}).get(key)
    return statistics.median(v) if v else None


def table(metric):
    return {who: {k: {"median": statistics.median(v), "runs": v}
                  for k, v in keys.items()}
            for who, keys in runs[metric].items()}


def ratio(a, b):
    return round(a / b, 3) if a and b else None


insn = defaultdict(dict)
with open(args.host) as f:
    for line in f:
        _, proto, d, v = line.split()
        insn[proto][d] = float(v)

perf = {}
for who in ("native6", "prerouting", "device", "jool"):
    for d in ("4to6", "6to4"):
        p = os.path.join(args.perf_dir, f"perf-{who}-{d}.txt")
        if os.path.exists(p):
            with open(p) as f:
                perf[f"{who} {d}"] = [" ".join(l.split()) for l in f][:15]

PATHS = ("prerouting", "device")   # map646's paths; the first is the default
pps = lambda who, d="4to6": med("udp64_pps", who, d)
tcp = lambda who, d="4to6": med("tcp1_mbps", who, d)
scale = lambda n: med("scale_pps", "map646", str(n))
load1m = med("load_ms", "map646", "1000000")
kmem = {c: med("kmem_bytes", "map646", f"{c}cpu") for c in (2, 8)}
slab = {c: med("slab_bytes", "map646", f"{c}cpu") for c in (2, 8)}


def best(metric, d):
    """map646's best path in direction d: (value, path)."""
    got = [(med(metric, p, d), p) for p in PATHS if med(metric, p, d)]
    return max(got) if got else (None, None)


ratios = {}
for d in ("4to6", "6to4"):
    ratios[d] = {"best path udp64": best("udp64_pps", d)[1],
                 "best path tcp1": best("tcp1_mbps", d)[1]}
    for who in PATHS + ("jool", "tayga"):
        ratios[d][f"udp64 {who}/native6"] = ratio(pps(who, d), pps("native6", d))
        ratios[d][f"udp64 {who}/native4"] = ratio(pps(who, d), pps("native4", d))
        ratios[d][f"tcp1 {who}/native6"] = ratio(tcp(who, d), tcp("native6", d))
    for who in PATHS:
        ratios[d][f"udp64 {who}/jool"] = ratio(pps(who, d), pps("jool", d))
        ratios[d][f"udp64 {who}/tayga"] = ratio(pps(who, d), pps("tayga", d))
        ratios[d][f"tcp1 {who}/jool"] = ratio(tcp(who, d), tcp("jool", d))
    ratios[d]["udp64 best/native6"] = ratio(best("udp64_pps", d)[0], pps("native6", d))
    ratios[d]["udp64 best/jool"] = ratio(best("udp64_pps", d)[0], pps("jool", d))
    ratios[d]["tcp1 best/native6"] = ratio(best("tcp1_mbps", d)[0], tcp("native6", d))
ratios["scale map646 1M/1"] = ratio(scale(1000000), scale(1))
jool_sizes = sorted(int(n) for n in runs["scale_pps"].get("jool", {}))
if len(jool_sizes) > 1:
    big = jool_sizes[-1]
    ratios[f"scale jool {big}/1"] = ratio(med("scale_pps", "jool", str(big)), med("scale_pps", "jool", "1"))

doc = {
    "date": args.date,
    "kernel": args.kernel,
    "machine": f"QEMU/TCG guests (2 GB) on a shared {os.cpu_count()}-core "
               f"{platform.machine()} Debian 12 host. Data path (udp64, tcp, rtt, "
               "scale, perf, load_ms): -icount shift=0, 1 vCPU: guest time = "
               "instructions executed (1 ns each), deterministic, memory latency "
               "not modelled. Control plane (load_wall_ms, memory_1M): 2 and 8 vCPUs, "
               "wall clock of this host. Only ratios within one run mean anything",
    "duration_s": args.seconds,
    "rounds": max((len(v) for w in runs["udp64_pps"].values() for v in w.values()), default=0),
    "unavailable": unavailable,
    "jool_note": args.jool_note or None,
    "udp64_pps": table("udp64_pps"),
    "tcp1_mbps": table("tcp1_mbps"),
    "tcp4_mbps": table("tcp4_mbps"),
    "rtt_p50_ms": table("rtt_p50_ms"),
    "rtt_p99_ms": table("rtt_p99_ms"),
    "scale_pps": table("scale_pps"),
    "load_ms": table("load_ms"),
    "load_wall_ms": table("load_wall_ms"),
    "memory_1M": {"kernel_bytes_per_mapping": {f"{c} vCPUs": kmem[c] / 1e6 if kmem[c] else None
                                               for c in kmem},
                  "slab_bytes_per_mapping": {f"{c} vCPUs": slab[c] / 1e6 if slab[c] else None
                                             for c in slab},
                  "what": "delta of /proc/meminfo Slab + Percpu + the vmalloc'd pages "
                          "of /proc/vmallocinfo other than the per-CPU chunks "
                          "(and Slab alone) between a 1-mapping and a "
                          "1 000 000-mapping table"},
    "insn_per_pkt": insn,
    "ratios": ratios,
    "perf_top": perf,
}
with open(args.out + ".json", "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")

# chart: 2x2 panels from small data files
tmp = args.out + ".dat"
order = ["native4", "native6", "prerouting", "device", "jool", "tayga"]
with open(tmp, "w") as f:
    f.write("# contender pps4to6 pps6to4 tcp1 tcp4 tcp1r p50 p99\n")
    for who in order:
        vals = [pps(who), pps(who, "6to4"), tcp(who), med("tcp4_mbps", who, "4to6"),
                tcp(who, "6to4"), med("rtt_p50_ms", who, "4to6"), med("rtt_p99_ms", who, "4to6")]
        who = {"prerouting": "m646-pre", "device": "m646-dev"}.get(who, who)
        if vals[0] is None:
            continue
        f.write(who + " " + " ".join("NaN" if v is None else f"{v:g}" for v in vals) + "\n")
    f.write("\n\n# mappings map646 jool\n")
    for n in (1, 10000, 100000, 1000000):
        j = med("scale_pps", "jool", str(n))
        f.write(f"{n} {scale(n) or 'NaN'} {j if j is not None else 'NaN'}\n")
gp = f"""
set terminal pngcairo size 1400,1000 font ",11"
set output "{args.out}.png"
set multiplot layout 2,2 title "map646 bench {args.date}, Linux {args.kernel}, QEMU/TCG guest (compare within this chart only)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set key top right
set yrange [0:*]
set title "64-byte UDP, packets/s at the sink (median)"
plot "{tmp}" index 0 using 2:xtic(1) title "a -> b (4to6)", "" index 0 using 3 title "b -> a (6to4)"
set title "TCP, iperf3 Mbit/s (median)"
plot "{tmp}" index 0 using 4:xtic(1) title "1 flow a->b", "" index 0 using 5 title "4 flows a->b", "" index 0 using 6 title "1 flow b->a"
set title "ping RTT 4->6, ms"
plot "{tmp}" index 0 using 7:xtic(1) title "median", "" index 0 using 8 title "p99"
set style data linespoints
set logscale x
set xrange [0.5:2000000]
set title "64-byte UDP pps vs mappings (random destinations)"
set xlabel "mappings"
plot "{tmp}" index 1 using 1:2 title "map646 prerouting" lw 2 pt 7, "" index 1 using 1:3 title "Jool SIIT" lw 2 pt 5
unset multiplot
"""
# a partial run may leave panels without data: gnuplot then refuses
chart = subprocess.run(["gnuplot"], input=gp, text=True, capture_output=True)
os.unlink(tmp)
if chart.returncode:
    print("report: no chart (%s)" % chart.stderr.strip().splitlines()[-1])


def r2(v):
    return "n/a" if v is None else f"{v:.2f}"


r46, r64 = ratios["4to6"], ratios["6to4"]
print(f"bench: udp64 best46/native6={r2(r46['udp64 best/native6'])} "
      f"best64/native6={r2(r64['udp64 best/native6'])} "
      f"best/jool={r2(r46['udp64 best/jool'])},{r2(r64['udp64 best/jool'])} "
      f"default/jool={r2(r46['udp64 prerouting/jool'])},{r2(r64['udp64 prerouting/jool'])} "
      f"tcp best/native={r2(r46['tcp1 best/native6'])},{r2(r64['tcp1 best/native6'])} "
      f"scale 1M/1={r2(ratios['scale map646 1M/1'])} "
      f"load1M={'n/a' if load1m is None else f'{load1m / 1000:.1f}'}s "
      f"bytes/map={','.join('n/a' if kmem[c] is None else str(round(kmem[c] / 1e6)) for c in (2, 8))}")
