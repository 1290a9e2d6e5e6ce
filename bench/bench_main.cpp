// One main for every Google Benchmark suite in bench/.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
