#!/usr/bin/env bash
# Mutation testing of the money rules (see docs/mutation-testing.md). Not part of the test suite: run it by hand.
#   bash tools/mutation/run.sh            # all three projects, one after the other (about 15 minutes on 2 cores)
#   bash tools/mutation/run.sh payouts    # one of: data, payouts, web
# Each run writes tools/mutation/out/<name>/reports/mutation-report.{html,json} and fails below a 90% score.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet tool restore >/dev/null
status=0
for name in "${@:-data payouts web}"; do
  for one in $name; do
    echo "== mutation testing: $one"
    dotnet dotnet-stryker --solution Ambassadors.sln --config-file "tools/mutation/$one.json" --output "tools/mutation/out/$one" || status=$?
  done
done
exit $status
