#!/usr/bin/env bash
# The kernel level modules (portable, AVX2, AVX-512) are the same loops built with different
# target-CPU flags. Code the compiler emits as a weak symbol is shared between modules at link
# time: if any standard-library specialization (a `$ss…` symbol) were weak in them, the
# linker would keep one copy, and the portable kernels could run AVX-512 instructions. This
# check fails if any level module's objects define such a symbol.
#
#   .ci/check-kernel-symbols.sh [BUILD_DIR]     (default: .build/debug)
set -euo pipefail
build=${1:-.build/debug}
status=0
for module in FSLMKernels FSLMKernelsAVX2 FSLMKernelsAVX512; do
    objects=("$build/$module.build"/*.o)
    if [ ! -e "${objects[0]}" ]; then
        echo "check-kernel-symbols: no objects for $module in $build (build first)" >&2
        exit 1
    fi
    shared=$(nm "${objects[@]}" | awk '$2 ~ /^[WVwv]$/ && $3 ~ /^\$ss/ { print $3 }' | sort -u)
    if [ -n "$shared" ]; then
        echo "check-kernel-symbols: $module defines weak standard-library specializations:" >&2
        echo "$shared" >&2
        status=1
    fi
done
[ $status = 0 ] && echo "kernel modules: no shared standard-library specializations"
exit $status
