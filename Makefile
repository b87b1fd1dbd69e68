# The README's commands. Each installs what is missing, then builds with CMake.
# `make` alone leaves the binary at build/leadflow.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DB         ?= leadflow.db
LISTEN     ?= 127.0.0.1:8080
FEED       ?= 1

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300

.PHONY: all deps build asan run test bench fuzz clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLF_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) -- --no-print-directory

# The main job: the API server over an embedded SQLite file holding the demo
# world (made once, scored by the default model), with a fresh admin token.
# Stop it with Ctrl-C.
run: build
	@FEED=$(FEED) scripts/run.sh $(BUILD) $(DB) $(LISTEN)

test: build asan
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@scripts/deps.sh --bench
	@bench/import.sh $(BUILD)
	@echo
	@bench/score.sh $(BUILD)
	@echo
	@bench/report.sh $(BUILD)
	@echo
	@bench/http.sh $(BUILD)
	@echo
	@bench/scale.sh $(BUILD)
	@echo
	@bench/gate.sh $(BUILD)
	@echo
	@bench/speed_to_lead.sh $(BUILD)
	@echo
	@bench/train.sh $(BUILD)
	@echo
	@bench/app.sh $(BUILD)
	@echo
	@bench/pg.sh $(BUILD)

# libFuzzer on the model loader and the expression parser, FUZZ_SECONDS each
fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLF_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_expr fuzz_model fuzz_routing -- --no-print-directory
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
