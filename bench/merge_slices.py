#!/usr/bin/env python3
"""Merges the BENCH lines of several wrk runs of one workload (status.lua or count.lua) into one.
Usage: merge_slices.py FILE... ; prints the merged fields (without the BENCH prefix).
Requests, duration, errors and statuses add up; the mean is weighted by requests. When every
run printed its latency histogram (status.lua with WRK_HISTOGRAM), p50 and p99 are those of the
merged histogram, computed as wrk does; otherwise p50 is the median of the runs' p50s and p99
the highest of their p99s (percentiles do not add up)."""
import math
import statistics
import sys

runs = []
histogram = {}
exact = True
for path in sys.argv[1:]:
    lines = open(path).read().splitlines()
    line = next((l for l in lines if l.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"no BENCH line in {path}")
    runs.append(dict(part.split("=", 1) for part in line.split()[1:]))
    values = next((l for l in lines if l.startswith("HISTOGRAM")), None)
    if values is None:
        exact = False
        continue
    for pair in values.split()[1:]:
        value, count = map(int, pair.split(":"))
        histogram[value] = histogram.get(value, 0) + count


def percentile(p):
    """wrk's stats_percentile: the least value whose cumulative count reaches the rank."""
    rank = math.floor(p / 100 * sum(histogram.values()) + 0.5 + 0.5)  # C's round(x + 0.5)
    total = 0
    for value in sorted(histogram):
        total += histogram[value]
        if total >= rank:
            return value
    return 0


if exact and histogram:
    p50, p99 = percentile(50), percentile(99)
else:
    p50, p99 = int(statistics.median(int(r["p50_us"]) for r in runs)), max(int(r["p99_us"]) for r in runs)
statuses = {}
for r in runs:
    for part in filter(None, r["statuses"].split(",")):
        key, count = part.rsplit("=", 1)
        statuses[key] = statuses.get(key, 0) + int(count)
requests = sum(int(r["requests"]) for r in runs)
mean = sum(float(r["mean_us"]) * int(r["requests"]) for r in runs) / max(requests, 1)
print(f"requests={requests} duration_us={sum(int(r['duration_us']) for r in runs)} "
      f"p50_us={p50} p99_us={p99} percentiles={'exact' if exact and histogram else 'approximate'} "
      f"mean_us={mean:.0f} errors={sum(int(r['errors']) for r in runs)} "
      f"statuses={','.join(f'{k}={v}' for k, v in sorted(statuses.items()))} expected={runs[0]['expected']} slices={len(runs)}")
