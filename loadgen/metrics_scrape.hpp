// The server's Prometheus endpoint, read over HTTP: one scrape is every
// sample of the text format, keyed by the series as written
// (`name{label="value",...}`), plus when it was taken.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::loadgen {

struct Scrape {
  double wall = 0;                       // seconds since the load test started
  std::map<std::string, double> series;  // "switchboard_calls_handled_total{queue=\"billing\"}" -> value

  // Sum over every series of metric `name` whose labels include `label`
  // ("queue=\"billing\""; empty: all of them).
  double sum(std::string_view name, std::string_view label = {}) const;
};

// Parses the text exposition format (comments skipped; a malformed line is skipped too).
Scrape parse_metrics(const std::string& text);

// GET http://HOST:PORT/metrics with a timeout; nothing when the endpoint
// cannot be reached or does not answer 200.
std::optional<std::string> fetch_metrics(const std::string& host, int port, double timeout_seconds = 2);

}  // namespace switchboard::loadgen
