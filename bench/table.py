"""Turns bench/run's JSON lines into the markdown table of docs/performance.md.
    python3 bench/table.py results.jsonl > table.md"""
import json
import sys


def number(v):
    if v is None:
        return ""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
    print("| workload | metric | ours (median) | ours min-max | TypeScript SDK | ceiling "
          "| ours/TS | ours/ceiling |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    by_key = {(r["workload"], r["system"], r["metric"]): r for r in rows}
    for r in rows:
        if r["system"] != "ours":
            continue
        ts = by_key.get((r["workload"], "ts", r["metric"]))
        ceiling = by_key.get((r["workload"], "ceiling", r["metric"]))
        print(f"| {r['workload']} | {r['metric']} ({r['unit']}) | {number(r['median'])} "
              f"| {number(r['min'])}-{number(r['max'])} "
              f"| {number(ts['median']) if ts else ''} "
              f"| {number(ceiling['median']) if ceiling else ''} "
              f"| {r['ours_vs_ts'] or ''} | {r['ours_vs_ceiling'] or ''} |")


if __name__ == "__main__":
    main()
