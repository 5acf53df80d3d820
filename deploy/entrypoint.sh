#!/bin/sh
# Prepare the workspace (migrate the database, create the ledger and signing keys; both
# idempotent), print what 'haechi doctor' finds, then run the command (haechi serve).
set -eu
haechi init ${HAECHI_INIT_ORG:+--org "$HAECHI_INIT_ORG"}
haechi doctor || echo "haechi doctor found problems (above); starting anyway" >&2
exec "$@"
