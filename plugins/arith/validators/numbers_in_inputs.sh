#!/bin/sh
# arith.numbers_in_inputs: does the reply name at least one number, and does every number it
# names occur in the run's inputs? A plan must copy its numbers from the question. Reads one
# JSON request on stdin and prints one JSON verdict. POSIX sh only.
verdict() {
  if [ "$1" = true ]; then echo '{"ok": true}'; else printf '{"ok": false, "message": "%s"}\n' "$2"; fi
  exit 0
}
request=$(cat)
# Keys are sorted: "inputs" comes right before "output".
output=$(printf '%s' "$request" | sed -n 's/.*"output":"\(\([^"\\]\|\\.\)*\)".*/\1/p')
inputs=$(printf '%s' "$request" | sed -n 's/.*"inputs":\(.*\),"output":".*/\1/p')
wanted=$(printf '%s' "$output" | tr -c '0-9' ' ')
given=" $(printf '%s' "$inputs" | tr -c '0-9' ' ') "
[ -n "$(printf '%s' "$wanted" | tr -d ' ')" ] || verdict false "name the numbers to use, e.g. 'subtract 6 from 14'"
for n in $wanted; do
  case "$given" in
    *" $n "*) ;;
    *) verdict false "$n is not a number of the question" ;;
  esac
done
verdict true
