#!/usr/bin/env python3
"""Independent oracle for kam's default scoring model (SCORING.md v1), stdlib only.

It re-implements the default model from the text of SCORING.md, not from the TypeScript
engine, so the two can be cross-checked on the fixtures.

Usage:
  check-fixture-stories.py                 score fixtures/accounts.csv, check the article's
                                           stories and the weekly pair; exit 1 on a failure
  check-fixture-stories.py FILE            score FILE and print it ranked
  check-fixture-stories.py --csv FILE      print the enriched CSV columns of SCORING.md §4
  check-fixture-stories.py OLD NEW         score both and print what changed (Key = shortlist)

Scope: files whose headers are already the canonical field names (as the fixtures are),
one currency, no config (so no ICP rules and no flag bonuses: the defaults of SCORING.md).
"""

from __future__ import annotations

import csv
import io
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAN = float("nan")

# SCORING.md defaults.
CRITERION_WEIGHTS = {"volume": 0.20, "potential": 0.20, "ltv": 0.25, "fit": 0.15, "strategic": 0.20}
CRITERIA = list(CRITERION_WEIGHTS)
MEASURE_WEIGHTS = {
    "revenue": 1.0, "headroom": 0.6, "pipeline": 0.2, "growth_rate": 0.2,
    "clv": 1.0, "product_fit": 0.5, "icp_match": 0.5, "strategic_value": 1.0,
}
MEASURE_CRITERION = {
    "revenue": "volume", "headroom": "potential", "pipeline": "potential", "growth_rate": "potential",
    "clv": "ltv", "product_fit": "fit", "icp_match": "fit", "strategic_value": "strategic",
}
CURRENT_AXIS = ["volume", "ltv"]
ATTRACTIVENESS_AXIS = ["potential", "fit", "strategic"]
TIER_CUT = 50.0
MIN_COVERAGE = 0.6
DISCOUNT = 0.10
DEFAULT_RETENTION = 0.85
HEADROOM_MULTIPLE = 3.0
THIN_MARGIN_VOLUME, THIN_MARGIN = 75.0, 0.10
RETENTION_RISK = 0.70
VOLUME_ONLY_VOLUME, VOLUME_ONLY_ATTRACTIVENESS = 75.0, 50.0
RISING_CURRENT, RISING_ATTRACTIVENESS = 50.0, 75.0
RATING_WORDS = {"high": 100.0, "medium": 50.0, "low": 0.0, "hot": 100.0, "warm": 50.0, "cold": 0.0}
SIGNAL_ORDER = ["headroom", "rising", "volume_only", "thin_margin", "retention_risk",
                "assumed_retention", "low_coverage"]
TIERS = ["Key", "Develop", "Maintain", "Monitor", "Unrated"]

MONEY_FIELDS = ["revenue", "company_revenue", "potential_revenue", "pipeline"]
PERCENT_FIELDS = ["growth_rate", "gross_margin", "retention_rate", "churn_risk"]
RATING_FIELDS = ["product_fit", "strategic_value"]
KAM_COLUMNS = ["kam_rank", "kam_score", "kam_tier", "kam_volume", "kam_potential", "kam_ltv",
               "kam_fit", "kam_strategic", "kam_current", "kam_attractiveness", "kam_coverage",
               "kam_signals", "kam_errors"]


def present(x: float) -> bool:
    return not math.isnan(x)


@dataclass
class Account:
    line: int
    raw: dict[str, str]
    id: str
    name: str
    values: dict[str, float] = field(default_factory=dict)  # canonical numeric fields, NaN = missing
    retention: float = NAN
    retention_given: bool = False
    measures: dict[str, float] = field(default_factory=dict)
    clv: float = NAN
    criteria: dict[str, float] = field(default_factory=dict)
    score: float = NAN
    coverage: float = 0.0
    current: float = NAN
    attractiveness: float = NAN
    tier: str = "Unrated"
    signals: list[str] = field(default_factory=list)
    rank: int = 0
    errors: list[str] = field(default_factory=list)


def parse_number(text: str) -> float:
    """Plain numbers as the fixtures write them ("1,200" and "$" tolerated). Raises ValueError."""
    s = text.strip().replace(",", "").replace("$", "")
    if s == "" or s.lower() in {"nan", "inf", "-inf", "infinity"}:
        raise ValueError(text)
    return float(s)


def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader)
    rows: list[tuple[int, dict[str, str]]] = []
    for record in reader:
        line = reader.line_num  # physical line where the record ends; fixtures have no multi-line cells
        if not record or all(c.strip() == "" for c in record):
            continue
        if len(record) != len(header):
            raise SystemExit(f"{path}:{line}: expected {len(header)} fields, got {len(record)}")
        rows.append((line, dict(zip(header, record))))
    return header, rows


def parse_accounts(path: Path) -> tuple[list[str], list[Account], list[Account]]:
    """Returns (header, valid accounts, rejected accounts)."""
    header, rows = read_table(path)
    if "account_name" not in header:
        raise SystemExit(f"{path}: missing required column account_name")
    currencies = {r.get("currency", "").strip() for _, r in rows} - {""}
    if len(currencies) > 1:
        raise SystemExit(f"{path}: several currencies {sorted(currencies)}; this oracle has no rates")

    # Percent columns: a bare value is a fraction when every bare value of the column lies in -1..1.
    bare_is_fraction: dict[str, bool] = {}
    for f in PERCENT_FIELDS:
        bare = []
        for _, r in rows:
            s = r.get(f, "").strip()
            if s and not s.endswith("%"):
                try:
                    bare.append(parse_number(s))
                except ValueError:
                    pass
        bare_is_fraction[f] = all(-1 <= v <= 1 for v in bare)

    # Rating scales inferred per column over numeric values.
    scales: dict[str, tuple[float, float]] = {}
    for f in RATING_FIELDS:
        nums = []
        for _, r in rows:
            s = r.get(f, "").strip()
            if s and s.lower() not in RATING_WORDS:
                try:
                    nums.append(parse_number(s))
                except ValueError:
                    pass
        if nums and all(0 <= v <= 5 for v in nums):
            hi = 5.0
        elif nums and all(0 <= v <= 10 for v in nums):
            hi = 10.0
        else:
            hi = 100.0
        lo = 0.0 if hi == 100.0 or any(v < 1 for v in nums) else 1.0
        scales[f] = (lo, hi)

    valid: list[Account] = []
    rejected: list[Account] = []
    seen_ids: set[str] = set()
    has_id = "account_id" in header
    for line, r in rows:
        name = r.get("account_name", "").strip()
        acc_id = r.get("account_id", "").strip() if has_id else name
        a = Account(line=line, raw=r, id=acc_id, name=name)
        if not name:
            a.errors.append("account_name: is required")
        if not acc_id:
            a.errors.append("account_id: is required")
        elif acc_id in seen_ids:
            a.errors.append(f"account_id: duplicate {acc_id}")
        for f in MONEY_FIELDS:
            s = r.get(f, "").strip()
            a.values[f] = NAN
            if s:
                try:
                    v = parse_number(s)
                    if v < 0:
                        a.errors.append(f"{f}: must be >= 0")
                    a.values[f] = v
                except ValueError:
                    a.errors.append(f"{f}: must be a number")
        for f in PERCENT_FIELDS:
            s = r.get(f, "").strip()
            a.values[f] = NAN
            if s:
                try:
                    if s.endswith("%"):
                        v = parse_number(s[:-1]) / 100
                    else:
                        v = parse_number(s)
                        v = v if bare_is_fraction[f] else v / 100
                    a.values[f] = v
                    if f == "gross_margin" and not -1 <= v <= 1:
                        a.errors.append(f"{f}: must be within -100%..100%")
                    if f in ("retention_rate", "churn_risk") and not 0 <= v <= 1:
                        a.errors.append(f"{f}: must be within 0%..100%")
                except ValueError:
                    a.errors.append(f"{f}: must be a percent")
        for f in RATING_FIELDS:
            s = r.get(f, "").strip()
            a.values[f] = NAN
            if s:
                if s.lower() in RATING_WORDS:
                    a.values[f] = RATING_WORDS[s.lower()]
                    continue
                lo, hi = scales[f]
                try:
                    x = parse_number(s)
                except ValueError:
                    a.errors.append(f"{f}: must be a rating")
                    continue
                if not lo <= x <= hi:
                    a.errors.append(f"{f}: outside the scale {lo:g}..{hi:g}")
                a.values[f] = 100 * (x - lo) / (hi - lo)
        if a.errors:
            rejected.append(a)
            continue
        seen_ids.add(acc_id)
        ret, churn = a.values["retention_rate"], a.values["churn_risk"]
        if present(ret):
            a.retention, a.retention_given = ret, True  # retention_rate wins over churn_risk
        elif present(churn):
            a.retention, a.retention_given = 1 - churn, True
        valid.append(a)
    return header, valid, rejected


def midrank(values: list[float]) -> list[float]:
    """100 * (below + 0.5 * equal) / n among present values; `equal` counts the value itself."""
    pres = sorted(v for v in values if present(v))
    n = len(pres)
    out = []
    for v in values:
        if not present(v):
            out.append(NAN)
            continue
        below = sum(1 for p in pres if p < v)
        equal = sum(1 for p in pres if p == v)
        out.append(100 * (below + 0.5 * equal) / n)
    return out


def weighted_mean(parts: list[tuple[float, float]]) -> float:
    """Mean of the present values, weights renormalised over them; NaN when none present."""
    got = [(w, v) for w, v in parts if present(v) and w > 0]
    total = sum(w for w, _ in got)
    return sum(w * v for w, v in got) / total if total > 0 else NAN


def score(accounts: list[Account]) -> list[Account]:
    """Scores and ranks in place; returns the accounts in rank order."""
    raw: dict[str, list[float]] = {m: [] for m in ["revenue", "headroom", "pipeline", "growth_rate", "clv"]}
    for a in accounts:
        v = a.values
        rev = v["revenue"]
        raw["revenue"].append(rev)
        pot = v["potential_revenue"]
        raw["headroom"].append(max(pot - (rev if present(rev) else 0.0), 0.0) if present(pot) else NAN)
        raw["pipeline"].append(v["pipeline"])
        raw["growth_rate"].append(v["growth_rate"])
        r = a.retention if a.retention_given else DEFAULT_RETENTION
        if present(rev) and present(v["gross_margin"]):
            a.clv = rev * v["gross_margin"] * r / (1 + DISCOUNT - r)
        raw["clv"].append(a.clv)
    norm = {m: midrank(vals) for m, vals in raw.items()}
    for i, a in enumerate(accounts):
        a.measures = {m: norm[m][i] for m in norm}
        a.measures["product_fit"] = a.values["product_fit"]
        a.measures["strategic_value"] = a.values["strategic_value"]
        a.measures["icp_match"] = NAN  # no ICP rules in the default model
        for c in CRITERIA:
            a.criteria[c] = weighted_mean(
                [(MEASURE_WEIGHTS[m], a.measures[m]) for m in MEASURE_CRITERION if MEASURE_CRITERION[m] == c])
        a.score = weighted_mean([(CRITERION_WEIGHTS[c], a.criteria[c]) for c in CRITERIA])
        a.coverage = (sum(CRITERION_WEIGHTS[c] for c in CRITERIA if present(a.criteria[c]))
                      / sum(CRITERION_WEIGHTS.values()))
        a.current = weighted_mean([(CRITERION_WEIGHTS[c], a.criteria[c]) for c in CURRENT_AXIS])
        a.attractiveness = weighted_mean([(CRITERION_WEIGHTS[c], a.criteria[c]) for c in ATTRACTIVENESS_AXIS])
        if a.coverage < MIN_COVERAGE or not present(a.current) or not present(a.attractiveness):
            a.tier = "Unrated"
        elif a.current >= TIER_CUT:
            a.tier = "Key" if a.attractiveness >= TIER_CUT else "Maintain"
        else:
            a.tier = "Develop" if a.attractiveness >= TIER_CUT else "Monitor"
        a.signals = signals_of(a)
    ordered = sorted(accounts, key=lambda a: (
        a.tier == "Unrated", not present(a.score), -(a.score if present(a.score) else 0.0),
        a.id))  # code-point order; equals JS's UTF-16 order for ids in the BMP
    for k, a in enumerate(ordered, 1):
        a.rank = k
    return ordered


def signals_of(a: Account) -> list[str]:
    v, got = a.values, set()
    rev, pot, vol = v["revenue"], v["potential_revenue"], a.criteria["volume"]
    # Interpretation: like the headroom measure, a missing revenue counts as 0, but a
    # potential of 0 is no headroom.
    if present(pot) and pot > 0 and pot >= HEADROOM_MULTIPLE * (rev if present(rev) else 0.0):
        got.add("headroom")
    if present(a.current) and present(a.attractiveness) and a.current < RISING_CURRENT \
            and a.attractiveness >= RISING_ATTRACTIVENESS:
        got.add("rising")
    if present(vol) and vol >= VOLUME_ONLY_VOLUME and present(a.attractiveness) \
            and a.attractiveness < VOLUME_ONLY_ATTRACTIVENESS:
        got.add("volume_only")
    if present(vol) and vol >= THIN_MARGIN_VOLUME and present(v["gross_margin"]) and v["gross_margin"] < THIN_MARGIN:
        got.add("thin_margin")
    if a.retention_given and a.retention < RETENTION_RISK:
        got.add("retention_risk")
    # Interpretation: the default retention is "assumed" only where it was used, i.e. for a CLV.
    if not a.retention_given and present(a.clv):
        got.add("assumed_retention")
    if a.coverage < MIN_COVERAGE:
        got.add("low_coverage")
    return [s for s in SIGNAL_ORDER if s in got]


def fmt(x: float, width: int = 6) -> str:
    return f"{x:{width}.2f}" if present(x) else " " * (width - 1) + "-"


def load(path: Path) -> tuple[list[str], list[Account], list[Account]]:
    header, valid, rejected = parse_accounts(path)
    return header, score(valid), rejected


def print_ranked(path: Path, ranked: list[Account], rejected: list[Account]) -> None:
    print(f"== {path} ({len(ranked)} scored, {len(rejected)} rejected)")
    print(f"{'rank':>4} {'account_id':<9} {'account_name':<30} {'tier':<8} {'score':>6}"
          f" {'vol':>6} {'pot':>6} {'ltv':>6} {'fit':>6} {'strat':>6} {'cur':>6} {'attr':>6}  cov  signals")
    for a in ranked:
        c = a.criteria
        print(f"{a.rank:>4} {a.id:<9} {a.name[:30]:<30} {a.tier:<8} {fmt(a.score)}"
              f" {fmt(c['volume'])} {fmt(c['potential'])} {fmt(c['ltv'])} {fmt(c['fit'])} {fmt(c['strategic'])}"
              f" {fmt(a.current)} {fmt(a.attractiveness)} {a.coverage:4.2f}  {';'.join(a.signals)}")
    for a in rejected:
        print(f"   - {a.id:<9} {a.name[:30]:<30} Invalid  line {a.line}: {'; '.join(a.errors)}")
    counts = {t: sum(1 for a in ranked if a.tier == t) for t in TIERS}
    print("tiers: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    # A fixture whose tiers hinge on a hair is fragile: show how close the nearest account is.
    rated = [a for a in ranked if a.tier != "Unrated"]
    if rated:
        gap, axis, a = min(((abs(getattr(a, ax) - TIER_CUT), ax, a) for a in rated
                            for ax in ("current", "attractiveness")), key=lambda t: (t[0], t[2].id, t[1]))
        print(f"nearest to the tier cut: {a.id} {axis} {getattr(a, axis):.2f} ({gap:.2f} from {TIER_CUT:g})")


def print_enriched_csv(header: list[str], ranked: list[Account], rejected: list[Account]) -> None:
    """SCORING.md §4 columns. Python's '%.2f' rounds the exact binary value, as JS toFixed does
    except on exact binary ties (x.xx5 representable exactly), where Python rounds to even."""
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(header + KAM_COLUMNS)
    n2 = lambda x: f"{x:.2f}" if present(x) else ""  # noqa: E731
    for a in ranked:
        c = a.criteria
        out.writerow([a.raw[h] for h in header] + [
            a.rank, n2(a.score), a.tier, n2(c["volume"]), n2(c["potential"]), n2(c["ltv"]), n2(c["fit"]),
            n2(c["strategic"]), n2(a.current), n2(a.attractiveness), f"{a.coverage:.2f}", ";".join(a.signals), ""])
    for a in rejected:
        out.writerow([a.raw[h] for h in header] + ["", "", "Invalid"] + [""] * 9 + ["; ".join(a.errors)])


@dataclass
class Diff:
    entered_key: list[str]
    left_key: list[str]
    new: list[str]
    removed: list[str]
    tier_changes: list[tuple[str, str, str]]
    rank_changes: list[tuple[str, int, int]]


def diff(old: list[Account], new: list[Account]) -> Diff:
    o = {a.id: a for a in old}
    n = {a.id: a for a in new}
    both = [i for i in n if i in o]
    return Diff(
        entered_key=sorted(i for i in both if n[i].tier == "Key" and o[i].tier != "Key")
        + sorted(i for i in n if i not in o and n[i].tier == "Key"),
        left_key=sorted(i for i in both if o[i].tier == "Key" and n[i].tier != "Key")
        + sorted(i for i in o if i not in n and o[i].tier == "Key"),
        new=sorted(i for i in n if i not in o),
        removed=sorted(i for i in o if i not in n),
        tier_changes=sorted((i, o[i].tier, n[i].tier) for i in both if o[i].tier != n[i].tier),
        rank_changes=sorted(((i, o[i].rank, n[i].rank) for i in both if o[i].rank != n[i].rank),
                            key=lambda t: t[2]),
    )


def print_diff(old_path: Path, old: list[Account], new_path: Path, new: list[Account]) -> Diff:
    d = diff(old, new)
    o = {a.id: a for a in old}
    n = {a.id: a for a in new}
    print(f"== changes {old_path.name} -> {new_path.name} (shortlist: tier Key)")
    entered = [f"{i} ({o[i].tier if i in o else 'new'} -> Key)" for i in d.entered_key]
    left = [f"{i} (Key -> {n[i].tier if i in n else 'removed'})" for i in d.left_key]
    added = [f"{i} {n[i].name} ({n[i].tier}, rank {n[i].rank})" for i in d.new]
    gone = [f"{i} {o[i].name} (was {o[i].tier}, rank {o[i].rank})" for i in d.removed]
    print(f"entered Key: {', '.join(entered) or '-'}")
    print(f"left Key:    {', '.join(left) or '-'}")
    print(f"new:         {', '.join(added) or '-'}")
    print(f"removed:     {', '.join(gone) or '-'}")
    print("tier changes:")
    for i, a, b in d.tier_changes:
        print(f"  {i} {n[i].name}: {a} -> {b} (rank {o[i].rank} -> {n[i].rank})")
    print("rank changes (same tier):")
    for i, a, b in d.rank_changes:
        if o[i].tier == n[i].tier:
            print(f"  {i} {n[i].name}: {n[i].tier}, rank {a} -> {b}")
    unchanged = sum(1 for i in n if i in o and o[i].tier == n[i].tier)
    print(f"tier unchanged: {unchanged} of {sum(1 for i in n if i in o)} accounts present both weeks")
    return d


def check(label: str, ok: bool, failures: list[str]) -> None:
    print(f"  [{'ok' if ok else 'FAIL'}] {label}")
    if not ok:
        failures.append(label)


def by_name(ranked: list[Account], name: str) -> Account:
    hits = [a for a in ranked if a.name == name]
    if len(hits) != 1:
        raise SystemExit(f"expected exactly one account named {name!r}, found {len(hits)}")
    return hits[0]


def check_stories(ranked: list[Account], failures: list[str]) -> None:
    print("== the article's stories")
    v = by_name(ranked, "Vicom")
    c = by_name(ranked, "Cartech")
    s = by_name(ranked, "Snow Industries")
    top_revenue = max(a.values["revenue"] for a in ranked if present(a.values["revenue"]))
    check(f"Vicom has the biggest revenue ({v.values['revenue']:.0f})", v.values["revenue"] == top_revenue, failures)
    check(f"Vicom is Maintain (got {v.tier}; current {v.current:.2f}, attractiveness {v.attractiveness:.2f})",
          v.tier == "Maintain", failures)
    check(f"Vicom has volume_only (volume {v.criteria['volume']:.2f})", "volume_only" in v.signals, failures)
    check(f"Cartech is Key or Develop (got {c.tier})", c.tier in ("Key", "Develop"), failures)
    check("Cartech has headroom", "headroom" in c.signals, failures)
    check(f"Cartech has rising (current {c.current:.2f}, attractiveness {c.attractiveness:.2f})",
          "rising" in c.signals, failures)
    check(f"Snow Industries has volume >= 75 (got {s.criteria['volume']:.2f})", s.criteria["volume"] >= 75, failures)
    check("Snow Industries has thin_margin", "thin_margin" in s.signals, failures)
    check("Snow Industries has retention_risk", "retention_risk" in s.signals, failures)
    check(f"Snow Industries is not Key (got {s.tier})", s.tier != "Key", failures)
    counts = {t: sum(1 for a in ranked if a.tier == t) for t in TIERS}
    check(f"spread of tiers {counts}", all(counts[t] >= 3 for t in TIERS[:4]) and counts["Unrated"] == 1, failures)


def check_weekly(d: Diff, failures: list[str]) -> None:
    print("== the weekly pair")
    check(f"exactly one account enters Key ({d.entered_key})", len(d.entered_key) == 1, failures)
    check(f"exactly one account leaves Key ({d.left_key})", len(d.left_key) == 1, failures)
    check(f"exactly one new account ({d.new})", len(d.new) == 1, failures)
    check(f"exactly one removed account ({d.removed})", len(d.removed) == 1, failures)
    others = [t for t in d.tier_changes if t[0] not in d.entered_key + d.left_key]
    check(f"a couple of other tier changes ({others})", 1 <= len(others) <= 3, failures)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--csv" and len(argv) == 2:
        header, ranked, rejected = load(Path(argv[1]))
        print_enriched_csv(header, ranked, rejected)
        return 0
    if len(argv) == 1:
        _, ranked, rejected = load(Path(argv[0]))
        print_ranked(Path(argv[0]), ranked, rejected)
        return 0
    if len(argv) == 2:
        old_path, new_path = Path(argv[0]), Path(argv[1])
        _, old, old_rej = load(old_path)
        _, new, new_rej = load(new_path)
        print_ranked(old_path, old, old_rej)
        print()
        print_ranked(new_path, new, new_rej)
        print()
        print_diff(old_path, old, new_path, new)
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    failures: list[str] = []
    main_path = ROOT / "fixtures" / "accounts.csv"
    _, ranked, rejected = load(main_path)
    print_ranked(main_path.relative_to(ROOT), ranked, rejected)
    print()
    check_stories(ranked, failures)
    check(f"no rejected rows in accounts.csv ({len(rejected)})", not rejected, failures)
    print()
    old_path = ROOT / "fixtures" / "weekly" / "accounts-2026-11-20.csv"
    new_path = ROOT / "fixtures" / "weekly" / "accounts-2026-11-27.csv"
    _, old, _ = load(old_path)
    _, new, _ = load(new_path)
    print_ranked(old_path.relative_to(ROOT), old, [])
    print()
    print_ranked(new_path.relative_to(ROOT), new, [])
    print()
    d = print_diff(old_path, old, new_path, new)
    check_weekly(d, failures)
    print()
    print("all checks passed" if not failures else f"{len(failures)} check(s) FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
