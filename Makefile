# fslm: the two commands a newcomer types are `make demo` and `make test`.
# Both install missing system packages first (apt-get, as root or through sudo).

SWIFT ?= swift
QUESTION ?= Mia had 14 stickers and gave 6 to a friend. How many stickers does Mia have now?
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test bench compare eval model clean

## deps: install libyaml's headers, pkg-config and python3 (the task generator's tests) when missing (Debian/Ubuntu).
deps:
	@pkg-config --exists yaml-0.1 2>/dev/null && command -v python3 >/dev/null || { \
	  echo "installing libyaml-dev, pkg-config and python3 with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev pkg-config python3; }

## build: the release build of the fslm command.
build: deps
	$(SWIFT) build -c release --product fslm

## demo: check the examples, then dry-run and run the bundled FSLM stack (models/fslm-tiny) on a question.
demo: build
	.build/release/fslm validate workflows/*.yaml
	.build/release/fslm dry-run workflows/fslm-stack.yaml --input question="$(QUESTION)"
	.build/release/fslm run workflows/fslm-stack.yaml --input question="$(QUESTION)" --trace .build/demo-trace.jsonl
	.build/release/fslm trace show .build/demo-trace.jsonl

## test: every test (unit, end-to-end on the built binary, fuzz), and the task generator's.
test: deps
	python3 -m unittest discover -s training -p 'test_*.py'
	$(SWIFT) build --product fslm
	.ci/check-kernel-symbols.sh .build/debug
	$(SWIFT) test

## bench: the benchmark scripts (release build); prints measured numbers.
bench: build
	bench/validate-large.sh
	bench/scheduler.sh
	bench/validators.sh
	bench/serve.sh

## compare: fslm against llama.cpp and transformers on random models of Pythia-160M's and SmolLM2-135M's shapes;
## the first run builds both references in bench/out/compare/ (see docs/performance.md).
compare: build
	bench/compare.sh

## eval: the bundled stack against its one-adapter baseline on the 300 evaluation cases.
eval: build
	bench/eval-stack.sh

## model: retrain models/fslm-tiny from seeds (Python venv in .venv; about 70 minutes on 2 cores).
model:
	training/make.sh

clean:
	rm -rf .build
