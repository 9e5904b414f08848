#!/usr/bin/env python3
"""Merges the BENCH lines of several wrk runs of one workload (status.lua or count.lua) into one.
Usage: merge_slices.py FILE... ; prints the merged fields (without the BENCH prefix).
Requests, duration, errors and statuses add up; the mean is weighted by requests; p50 is the
median of the runs' p50s and p99 the highest of their p99s (percentiles do not add up)."""
import statistics
import sys

runs = []
for path in sys.argv[1:]:
    line = next((l for l in open(path) if l.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"no BENCH line in {path}")
    runs.append(dict(part.split("=", 1) for part in line.split()[1:]))
statuses = {}
for r in runs:
    for part in filter(None, r["statuses"].split(",")):
        key, count = part.rsplit("=", 1)
        statuses[key] = statuses.get(key, 0) + int(count)
requests = sum(int(r["requests"]) for r in runs)
mean = sum(float(r["mean_us"]) * int(r["requests"]) for r in runs) / max(requests, 1)
print(f"requests={requests} duration_us={sum(int(r['duration_us']) for r in runs)} "
      f"p50_us={int(statistics.median(int(r['p50_us']) for r in runs))} p99_us={max(int(r['p99_us']) for r in runs)} "
      f"mean_us={mean:.0f} errors={sum(int(r['errors']) for r in runs)} "
      f"statuses={','.join(f'{k}={v}' for k, v in sorted(statuses.items()))} expected={runs[0]['expected']} slices={len(runs)}")
