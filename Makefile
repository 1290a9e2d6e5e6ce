# Convenience targets over scripts/build and CMake (the README's commands work without make).
BUILD_DIR ?= build
.PHONY: build test bench
build:
	bash scripts/build
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 2
bench: build
	$(BUILD_DIR)/bench/switchboard_bench
