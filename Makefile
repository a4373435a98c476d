# hakobu — two commands: `make demo` and `make test`. See README.md.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# CI builds treat warnings as errors.
ifeq ($(CI),true)
CMAKE_FLAGS += -DHAKOBU_WERROR=ON
endif

.PHONY: all deps build build-image unit blackbox test demo stop bench bench-s3 bench-ecr bench-codecommit bench-codebuild gen check-gen format format-check clean

all: build

deps:
	@scripts/install-deps.sh

# After deps (order only): under make -j the configure must not race the install of cmake.
$(BUILD_DIR)/build.ninja: | deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD_DIR)/build.ninja
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@echo "built $(BUILD_DIR)/hakobu"

# The local stand-in for CodeBuild's aws/codebuild/standard image (images/codebuild-standard).
build-image: deps
	@scripts/build-image.sh

unit: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Two workers, each test file whole on one of them (its module's hakobu and sandbox with it).
PYTEST_WORKERS ?= -n 2 --dist loadfile

blackbox: build
	@scripts/pytest.sh tests/blackbox -q $(PYTEST_WORKERS)

check-gen:
	@python3 tools/codegen/gen.py --check

FORMAT_FILES = $(shell git ls-files 'src/*.cc' 'src/*.h' | grep -v '^src/gen/')

format:
	@clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)

test: build build-image
	@python3 tools/codegen/gen.py --check
	@clang-format --dry-run --Werror $(FORMAT_FILES)
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	@scripts/pytest.sh tests/blackbox -q $(PYTEST_WORKERS)

demo: build
	@scripts/demo.sh

stop:
	@scripts/demo.sh --stop

bench: build
	@scripts/install-deps.sh --bench
	@bench/run.sh

bench-s3: build
	@scripts/install-deps.sh --bench
	@bench/run.sh s3

bench-ecr: build
	@scripts/install-deps.sh --bench
	@bench/run.sh ecr

bench-codecommit: build
	@scripts/install-deps.sh --bench
	@HAKOBU_BINARY="$${HAKOBU_BINARY:-$(BUILD_DIR)/hakobu}" python3 bench/codecommit_bench.py

bench-codebuild: build build-image
	@scripts/install-deps.sh --bench
	@HAKOBU_BINARY="$${HAKOBU_BINARY:-$(BUILD_DIR)/hakobu}" python3 bench/codebuild_bench.py

gen:
	@python3 tools/codegen/gen.py

clean:
	rm -rf $(BUILD_DIR)
