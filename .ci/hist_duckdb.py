"""DuckDB reads the Parquet files of `dsti export --to parquet` and its GROUP BY counts equal
`dsti stats --by programme,province,year,occupation,level --format json` on the same input.

usage: hist_duckdb.py PARQUET_DIR STATS_JSON
"""
import json
import math
import sys

import duckdb

DIMS = ["programme", "province", "year", "occupation", "level"]


def main(parquet_dir, stats_json):
    f = lambda kind: f"'{parquet_dir}/{kind}.parquet'"
    con = duckdb.connect()
    groups = {}

    def group(key):
        return groups.setdefault(
            key,
            {"people": 0, "completions": 0, "classHours": 0.0, "certificatesByLevel": {},
             "competitionEntrants": 0},
        )

    completions = con.execute(f"""
        WITH x AS (
          SELECT CASE WHEN c.id IS NULL THEN 'unknown' ELSE coalesce(c.programmeKind, 'none') END AS programme,
                 coalesce(x.province, c.province, 'none') AS province,
                 strftime(x.completedOn, '%Y') AS year,
                 CASE WHEN c.id IS NULL THEN 'unknown' ELSE c.occupation END AS occupation,
                 CASE WHEN c.id IS NULL THEN 'unknown' ELSE coalesce(c.targetLevel, 'none') END AS level,
                 coalesce(x.learnerDigest, p.documentDigest, 'personId:' || x.learnerPersonId) AS who,
                 x.classHours
          FROM {f('completion')} x
          LEFT JOIN {f('course')} c ON c.id = x.courseId
          LEFT JOIN {f('person')} p ON p.id = x.learnerPersonId
          WHERE x.status = 'completed' AND x.completedAt IS NOT NULL)
        SELECT programme, province, year, occupation, level,
               count(DISTINCT who), count(*), sum(classHours)
        FROM x GROUP BY ALL""").fetchall()
    for *key, people, n, hours in completions:
        g = group(tuple(key))
        g["people"], g["completions"], g["classHours"] = people, n, hours

    certificates = con.execute(f"""
        SELECT 'none', coalesce(province, 'none'), strftime(issuedOn, '%Y'), occupation,
               coalesce(level, 'none'), count(*)
        FROM {f('certificate')} GROUP BY ALL""").fetchall()
    for *key, n in certificates:
        group(tuple(key))["certificatesByLevel"][key[4]] = n

    entrants = con.execute(f"""
        SELECT 'none', coalesce(x.province, 'none'), strftime(x.heldFrom, '%Y'), x.occupation,
               coalesce(x.grantsLevel, 'none'),
               count(DISTINCT coalesce(x.participantDigest, p.documentDigest,
                                       'personId:' || x.participantPersonId))
        FROM {f('competition')} x LEFT JOIN {f('person')} p ON p.id = x.participantPersonId
        GROUP BY ALL""").fetchall()
    for *key, n in entrants:
        group(tuple(key))["competitionEntrants"] = n

    with open(stats_json, encoding="utf-8") as fh:
        stats = json.load(fh)
    got = {tuple(g["group"][d] for d in DIMS): g for g in stats["groups"]}
    problems = []
    if set(got) != set(groups):
        problems.append(f"groups differ: only dsti {sorted(set(got) - set(groups))[:5]}, "
                        f"only DuckDB {sorted(set(groups) - set(got))[:5]}")
    for key in sorted(set(got) & set(groups)):
        g, d = got[key], groups[key]
        for field in ["people", "completions", "competitionEntrants", "certificatesByLevel"]:
            if g[field] != d[field]:
                problems.append(f"{key} {field}: dsti {g[field]}, DuckDB {d[field]}")
        if not math.isclose(g["classHours"], d["classHours"], abs_tol=1e-6):
            problems.append(f"{key} classHours: dsti {g['classHours']}, DuckDB {d['classHours']}")
    if problems:
        print("\n".join(problems[:20]), file=sys.stderr)
        sys.exit(1)
    people = sum(g["people"] for g in groups.values())
    print(f"DuckDB agrees with dsti stats on {len(groups)} groups ({people} people-in-group, "
          f"{sum(g['completions'] for g in groups.values())} completions)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
