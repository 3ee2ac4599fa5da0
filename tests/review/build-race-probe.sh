#!/usr/bin/env bash
# Probe (not part of the suite): while `npm run build` rewrites dist/server.js (as every `npm start`
# does in prestart), can another process starting at that moment read a partial bundle?
set -u
cd "$(dirname "$0")/../.."
npm run -s build
full=$(stat -c %s dist/server.js)
( for i in $(seq 1 12); do npm run -s build; done ) &
builder=$!
checks=0; partial=0; syntax=0; min=$full
while kill -0 $builder 2>/dev/null; do
  size=$(stat -c %s dist/server.js 2>/dev/null || echo 0)
  checks=$((checks+1))
  if [ "$size" -lt "$full" ]; then partial=$((partial+1)); [ "$size" -lt "$min" ] && min=$size; fi
  if [ $((checks % 20)) -eq 0 ]; then node --check dist/server.js 2>/dev/null || syntax=$((syntax+1)); fi
done
echo "full=$full checks=$checks partial_reads=$partial smallest_seen=$min node_check_failures=$syntax"
