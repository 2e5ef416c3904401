#!/usr/bin/env bash
# D201 on a copy of a corpus, run after run, as a writer meets it (issue 18):
#   cold (the cache written), warm with nothing changed, warm with one draft changed
#   (three edits in a row), the same without the cache (its output must be the warm one's),
#   then the pre-commit path: one draft checked with a configuration file (scope repo),
#   first with an empty cache (it indexes the whole repo), then after three edits.
# Usage: bench/d201_runs.sh CORPUS WORKDIR   (the draftlint on PATH; WORKDIR is replaced)
# Each line: wall time, user and system CPU, peak memory (GNU time).
set -euo pipefail
corpus=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cp -r "$corpus" "$work/c" && cd "$work"
unset PYTHONDONTWRITEBYTECODE  # an editable install would compile its modules every run
t() { local what=$1; shift; /usr/bin/time -f "$what: %e s wall, %U s user, %S s sys, %M KB" "$@" || true; }
edit() { echo "$2" >> "c/$1"; sleep 2.5; }  # past the cache's racy window (2 s)

t "cold, cache written" draftlint check -q --select D201 --cache-dir cache --format json c > cold.json
t "warm, nothing changed" draftlint check -q --select D201 --cache-dir cache --format json c > same.json
cmp -s cold.json same.json && echo "warm output = cold output"
for i in 1 2 3; do
  edit "doc_0${i}400.txt" "量测第${i}次加的一句话。"
  t "warm, one draft changed ($i)" draftlint check -q --select D201 --cache-dir cache --format json c > warm.json
done
t "no cache" draftlint check -q --select D201 --no-cache --format json c > nocache.json
cmp -s warm.json nocache.json && echo "warm output = no-cache output"

printf 'select: [D201]\n' > .draftlint.yaml
t "hook, first run (indexes the repo)" draftlint check -q --cache-dir hook-cache c/doc_05000.txt > /dev/null
for i in 1 2 3; do
  edit "doc_0${i}500.txt" "钩子第${i}次加的一句话。"
  t "hook, one draft changed ($i)" draftlint check -q --cache-dir hook-cache "c/doc_0${i}500.txt" > /dev/null
done
