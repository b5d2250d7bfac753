#!/bin/sh
# arith.equation_holds: is the reply an equation "a op b = c" of whole numbers, op one of
# + - * /, and is it true? Reads one JSON request on stdin ({"output": "...", ...}) and
# prints one JSON verdict on stdout. POSIX sh only, so it runs wherever fslm does.
verdict() {
  if [ "$1" = true ]; then echo '{"ok": true}'; else printf '{"ok": false, "message": "%s"}\n' "$2"; fi
  exit 0
}
request=$(cat)
output=$(printf '%s' "$request" | sed -n 's/.*"output":"\(\([^"\\]\|\\.\)*\)".*/\1/p')
set -f
# shellcheck disable=SC2086
set -- $output
form="write the equation as 'a op b = c' with whole numbers, e.g. '3 + 5 = 8'"
[ $# -eq 5 ] && [ "$4" = "=" ] || verdict false "$form"
a=$1 op=$2 b=$3 c=$5
for n in "$a" "$b" "$c"; do
  case "$n" in ''|-|*[!0-9-]*|?*-*) verdict false "$form" ;; esac
done
case "$op" in
  +) r=$((a + b)) ;;
  -) r=$((a - b)) ;;
  '*'|x) r=$((a * b)) ;;
  /)
    [ "$b" -ne 0 ] || verdict false "$a / 0 divides by zero"
    [ $((a % b)) -eq 0 ] || verdict false "$a / $b is not a whole number"
    r=$((a / b)) ;;
  *) verdict false "the operator must be one of + - * /" ;;
esac
[ "$r" -eq "$c" ] && verdict true
# The message names the slip, not the right result: a retry must find it itself.
verdict false "$a $op $b = $c does not hold"
