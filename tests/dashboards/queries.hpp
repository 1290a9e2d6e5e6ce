// Every PromQL expression the project ships for dashboards: panel targets
// and template variables of dashboards/grafana/*.json, and the recording and
// alerting rules of dashboards/prometheus/. Grafana's variables are replaced
// by what "All" means ($instance etc. -> .*) and $__rate_interval by a
// window that suits a test's short scrape interval.
#pragma once

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "support/test_support.hpp"

namespace switchboard::test::dashboards {

struct Query {
  std::string where;  // file and panel or rule, for messages
  std::string expr;   // runnable PromQL
};

inline std::string runnable(std::string expr, const std::string& rate_interval) {
  expr = std::regex_replace(expr, std::regex(R"(\$__rate_interval)"), rate_interval);
  expr = std::regex_replace(expr, std::regex(R"(\$(instance|queue|group))"), ".*");
  return expr;
}

// label_values(SELECTOR, LABEL) is Grafana's, not PromQL: its series are SELECTOR's.
inline std::string variable_query(const std::string& q) {
  static const std::regex label_values(R"(^label_values\((.*),\s*\w+\)$)");
  std::smatch m;
  return std::regex_match(q, m, label_values) ? m[1].str() : q;
}

inline std::vector<std::filesystem::path> dashboard_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(source_dir() / "dashboards/grafana"))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

inline std::vector<Query> dashboard_queries(const std::string& rate_interval) {
  std::vector<Query> out;
  for (const auto& file : dashboard_files()) {
    const auto d = nlohmann::json::parse(read_file(file));
    const std::string name = file.filename().string();
    for (const auto& p : d.at("panels"))
      for (const auto& t : p.at("targets"))
        out.push_back({name + ": " + p.at("title").get<std::string>(), runnable(t.at("expr").get<std::string>(), rate_interval)});
    for (const auto& v : d.at("templating").at("list"))
      out.push_back({name + ": variable " + v.at("name").get<std::string>(),
                     runnable(variable_query(v.at("query").at("query").get<std::string>()), rate_interval)});
  }
  return out;
}

// Alert expressions are comparisons that return nothing while all is well;
// with `bool` they return 0/1 for every series they compare, so a query
// that selects nothing still shows up.
inline std::string with_bool(const std::string& expr) {
  return std::regex_replace(expr, std::regex(R"((<|>|==) ([0-9]))"), "$1 bool $2");
}

inline std::vector<Query> rule_queries() {
  std::vector<Query> out;
  for (const char* file : {"recording-rules.yml", "alerting-rules.yml"}) {
    const YAML::Node doc = YAML::LoadFile((source_dir() / "dashboards/prometheus" / file).string());
    for (const auto& group : doc["groups"])
      for (const auto& rule : group["rules"]) {
        const bool alert = static_cast<bool>(rule["alert"]);
        const std::string name = alert ? rule["alert"].as<std::string>() : rule["record"].as<std::string>();
        const std::string expr = rule["expr"].as<std::string>();
        out.push_back({std::string(file) + ": " + name, alert ? with_bool(expr) : expr});
      }
  }
  return out;
}

}  // namespace switchboard::test::dashboards
