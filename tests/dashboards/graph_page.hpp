// Prometheus' own graph page (/graph, the classic UI Debian's prometheus
// ships) for one expression, rendered in headless Chromium (Debian
// chromium, scripts/install-deps): the DOM the page drew, and a PNG of it
// so a person can look at the curves.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "dashboards/prometheus_harness.hpp"

namespace switchboard::test::dashboards {

struct GraphPage {
  int chromium_status = -1;
  std::string error;                // the page's error box ("No datapoints found.", a parse error), empty when hidden
  std::vector<std::string> legend;  // one label set per series drawn
  std::size_t most_points = 0;      // points of the longest curve
  double widest_swing = 0;          // the largest max - min height of a curve, in pixels
};

inline std::string graph_url(int prometheus_port, const std::string& expr, const std::string& range) {
  return "http://127.0.0.1:" + std::to_string(prometheus_port) + "/graph?g0.expr=" + url_encode(expr) +
         "&g0.tab=0&g0.range_input=" + range;
}

inline std::string chromium(const std::string& what, const std::string& url) {
  // The page fetches the range query and draws it; 10 s of virtual time
  // lets it finish without sleeping that long for real.
  return "timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1100 "
         "--virtual-time-budget=10000 " + what + " '" + url + "' 2>/dev/null";
}

inline GraphPage parse_graph_page(const std::string& dom) {
  GraphPage page;
  static const std::regex error_box(R"re(<div class="error alert alert-danger" style="([^"]*)">([^<]*))re");
  std::smatch m;
  if (std::regex_search(dom, m, error_box) && m[1].str().find("display: none") == std::string::npos) page.error = m[2].str();
  static const std::regex legend_item(R"re(<li class="line">.*?<span class="label">([^<]*)</span>)re");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), legend_item); it != std::sregex_iterator(); ++it)
    page.legend.push_back((*it)[1].str());
  // Rickshaw draws each series as one SVG path "M x,y L x,y L ...".
  static const std::regex curve(R"re(<path class="path" d="M([^"]*)")re");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), curve); it != std::sregex_iterator(); ++it) {
    const std::string d = (*it)[1].str();
    page.most_points = std::max<std::size_t>(page.most_points, 1 + static_cast<std::size_t>(std::count(d.begin(), d.end(), 'L')));
    static const std::regex point(R"(,(-?[0-9.]+))");
    double low = 1e300, high = -1e300;
    for (auto p = std::sregex_iterator(d.begin(), d.end(), point); p != std::sregex_iterator(); ++p) {
      const double y = std::stod((*p)[1].str());
      low = std::min(low, y);
      high = std::max(high, y);
    }
    if (high >= low) page.widest_swing = std::max(page.widest_swing, high - low);
  }
  return page;
}

// Renders the page twice: once for its DOM, once as a PNG at `png`.
inline GraphPage render_graph_page(int prometheus_port, const std::string& expr, const std::string& range,
                                   const std::filesystem::path& png) {
  const std::string url = graph_url(prometheus_port, expr, range);
  int status = -1;
  GraphPage page = parse_graph_page(shell(chromium("--dump-dom", url), &status));
  page.chromium_status = status;
  if (status == 0) shell(chromium("--screenshot=" + png.string(), url), &page.chromium_status);
  return page;
}

// Width and height from a PNG's IHDR chunk; {0, 0} if the file is not a PNG.
inline std::pair<std::uint32_t, std::uint32_t> png_size(const std::filesystem::path& png) {
  const std::string bytes = read_file(png);
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || bytes.compare(12, 4, "IHDR") != 0) return {0, 0};
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

}  // namespace switchboard::test::dashboards
