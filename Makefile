# fslm: the two commands a newcomer types are `make demo` and `make test`.
# Both install missing system packages first (apt-get, as root or through sudo).

SWIFT ?= swift
QUESTION ?= Tom has 3 apples and buys 5 more. How many apples does he have now?
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test bench clean

## deps: install libyaml's headers and pkg-config when they are missing (Debian/Ubuntu).
deps:
	@pkg-config --exists yaml-0.1 2>/dev/null || { \
	  echo "installing libyaml-dev and pkg-config with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev pkg-config; }

## build: the release build of the fslm command.
build: deps
	$(SWIFT) build -c release --product fslm

## demo: check the examples, then dry-run and run the four-stage FSLM stack on a question.
demo: build
	.build/release/fslm validate workflows/*.yaml
	.build/release/fslm dry-run workflows/fslm-stack.yaml --input question="$(QUESTION)"
	.build/release/fslm run workflows/fslm-stack.yaml --input question="$(QUESTION)" --trace .build/demo-trace.jsonl
	.build/release/fslm trace show .build/demo-trace.jsonl

## test: every test (unit, end-to-end on the built binary, fuzz).
test: deps
	$(SWIFT) build --product fslm
	$(SWIFT) test

## bench: the benchmark scripts (release build); prints measured numbers.
bench: build
	bench/validate-large.sh
	bench/scheduler.sh
	bench/validators.sh

clean:
	rm -rf .build
