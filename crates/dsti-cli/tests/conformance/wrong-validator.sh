#!/bin/sh
# A deliberately wrong validator for the conformance kit's tests: DSTI's own (the binary in
# $DSTI_BIN), except that every `uscc.checksum` it finds is reported as `schema.pattern`.
# Usage: wrong-validator.sh FILE (the instant, profile and sender come from DSTI_NOW,
# DSTI_PROFILE and DSTI_SENDER).
out=$("$DSTI_BIN" validate --format ndjson --now "$DSTI_NOW" --profile "$DSTI_PROFILE" \
  ${DSTI_SENDER:+--sender "$DSTI_SENDER"} "$1")
status=$?
printf '%s\n' "$out" | sed 's/"code":"uscc\.checksum"/"code":"schema.pattern"/g'
exit $status
