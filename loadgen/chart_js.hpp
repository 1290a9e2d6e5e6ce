// Chart.js's UMD build, read from loadgen/report-html/node_modules at build
// time (loadgen/CMakeLists.txt; scripts/install-deps runs `npm ci` there).
#pragma once

namespace switchboard::loadgen {

extern const char* const kChartJs;

}  // namespace switchboard::loadgen
