#!/bin/sh
# arith.conversion_holds: is the reply a conversion "x unit = y unit" between units of one
# kind (m/km/cm, g/kg, s/min/h, ml/l), and is it true? Reads one JSON request on stdin and
# prints one JSON verdict. Numbers may have decimals; they are compared exactly with awk.
verdict() {
  if [ "$1" = true ]; then echo '{"ok": true}'; else printf '{"ok": false, "message": "%s"}\n' "$2"; fi
  exit 0
}
request=$(cat)
output=$(printf '%s' "$request" | sed -n 's/.*"output":"\(\([^"\\]\|\\.\)*\)".*/\1/p')
set -f
# shellcheck disable=SC2086
set -- $output
form="write the conversion as 'x unit = y unit', e.g. '3 kg = 3000 g'"
[ $# -eq 5 ] && [ "$3" = "=" ] || verdict false "$form"
x=$1 from=$2 y=$4 to=$5
for n in "$x" "$y"; do
  case "$n" in ''|.|*[!0-9.]*|*.*.*) verdict false "$form" ;; esac
done
# Each unit's kind and size in the kind's base unit (m, g, s, ml).
unit() {
  case "$1" in
    cm) echo "length 0.01" ;; m) echo "length 1" ;; km) echo "length 1000" ;;
    g) echo "mass 1" ;; kg) echo "mass 1000" ;;
    s) echo "time 1" ;; min) echo "time 60" ;; h) echo "time 3600" ;;
    ml) echo "volume 1" ;; l) echo "volume 1000" ;;
    *) echo "unknown 0" ;;
  esac
}
set -- $(unit "$from") $(unit "$to")
[ "$1" != unknown ] && [ "$3" != unknown ] || verdict false "units must be among cm, m, km, g, kg, s, min, h, ml, l"
[ "$1" = "$3" ] || verdict false "$from ($1) cannot be converted to $to ($3)"
expected=$(awk -v x="$x" -v a="$2" -v b="$4" 'BEGIN { printf "%.6g", x * a / b }')
same=$(awk -v e="$expected" -v y="$y" 'BEGIN { d = e - y; if (d < 0) d = -d; print (d < 1e-9 * (e < 0 ? -e : e) + 1e-9) ? 1 : 0 }')
[ "$same" = 1 ] && verdict true
# The message names the slip, not the right result: a retry must find it itself.
verdict false "$x $from = $y $to does not hold"
