# The README's commands. Each installs what is missing, then builds with CMake.
# `make` alone leaves the binary at build/leadflow.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_DB    ?= demo.db

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

# The main job: a fresh demo world in an embedded SQLite file, its summary,
# and the default scoring model activated over it.
run: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(BUILD)/leadflow --db $(DEMO_DB) init
	@$(BUILD)/leadflow --db $(DEMO_DB) demo --leads 5000 --seed 1
	@echo
	@$(BUILD)/leadflow --db $(DEMO_DB) model add models/default.yaml
	@$(BUILD)/leadflow --db $(DEMO_DB) model activate 1
	@echo
	@echo "try: $(BUILD)/leadflow --db $(DEMO_DB) lead explain 2"

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

# libFuzzer on the model loader and the expression parser, FUZZ_SECONDS each
fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLF_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_expr fuzz_model -- --no-print-directory
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
