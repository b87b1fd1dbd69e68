#!/usr/bin/env bash
# bench/speed_to_lead.sh - runs bench/speed_to_lead.py (see there).
# usage: bench/speed_to_lead.sh [BUILD_DIR]   env: LEADS (2000; the figure is 10000)
set -euo pipefail
exec python3 bench/speed_to_lead.py "${1:-build}"
