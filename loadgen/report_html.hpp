// report.html: the report as one self-contained page. Chart.js (from npm,
// loadgen/report-html/package.json) is inlined at build time; the report's
// data is embedded as JSON. No network at view time. Once drawn, the page
// exposes what its charts hold (window.switchboardCharts and the
// #chart-data element) so a headless browser can check it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace switchboard::loadgen {

std::string report_html(const nlohmann::json& report);

}  // namespace switchboard::loadgen
