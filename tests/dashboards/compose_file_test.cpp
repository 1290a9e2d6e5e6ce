// dashboards/docker-compose.yml cannot be run here (no container images),
// so its wiring is checked against the files it mounts: every mounted path
// exists, Grafana finds its provisioning where the compose file puts it,
// the dashboard provider reads the folder the JSON files are mounted at,
// the datasource points at the address Prometheus listens on, and
// Prometheus' config is the one the PrometheusFiles tests check.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include <yaml-cpp/yaml.h>

#include "support/test_support.hpp"

using namespace switchboard::test;

namespace {

const std::filesystem::path kDashboards = source_dir() / "dashboards";

struct Mount {
  std::string source, target;
};

// "./src:/dst[:ro]" -> {src, dst}
Mount mount(const std::string& volume) {
  const auto first = volume.find(':');
  const auto second = volume.find(':', first + 1);
  return {volume.substr(0, first), volume.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1)};
}

// The value of `--flag=value` among a service's command arguments.
std::string flag(const YAML::Node& service, const std::string& name) {
  for (const auto& arg : service["command"]) {
    const auto a = arg.as<std::string>();
    if (a.rfind(name + "=", 0) == 0) return a.substr(name.size() + 1);
  }
  return "";
}

// The host path a container path comes from, through the service's mounts.
std::filesystem::path host_path(const YAML::Node& service, const std::string& container_path) {
  for (const auto& v : service["volumes"]) {
    const Mount m = mount(v.as<std::string>());
    if (container_path == m.target || container_path.rfind(m.target + "/", 0) == 0)
      return kDashboards / m.source / container_path.substr(std::min(container_path.size(), m.target.size() + 1));
  }
  return {};
}

}  // namespace

TEST(ComposeFile, EveryMountedSourceExists) {
  const YAML::Node compose = YAML::LoadFile((kDashboards / "docker-compose.yml").string());
  ASSERT_TRUE(compose["services"]["prometheus"]) << "no prometheus service";
  ASSERT_TRUE(compose["services"]["grafana"]) << "no grafana service";
  for (const auto& service : compose["services"])
    for (const auto& v : service.second["volumes"]) {
      const Mount m = mount(v.as<std::string>());
      if (m.source.rfind("./data/", 0) == 0) continue;  // Prometheus' storage, made at run time
      EXPECT_TRUE(std::filesystem::exists(kDashboards / m.source)) << service.first.as<std::string>() << ": " << m.source;
    }
}

TEST(ComposeFile, GrafanaProvisioningAndPrometheusMeet) {
  const YAML::Node compose = YAML::LoadFile((kDashboards / "docker-compose.yml").string());
  const YAML::Node prometheus = compose["services"]["prometheus"], grafana = compose["services"]["grafana"];

  // Prometheus runs the config the PrometheusFiles tests check with promtool.
  const auto config = host_path(prometheus, flag(prometheus, "--config.file"));
  EXPECT_TRUE(std::filesystem::equivalent(config, kDashboards / "prometheus/prometheus.yml")) << config;

  // Grafana reads its provisioning from the mounted folder...
  const std::string provisioning = grafana["environment"]["GF_PATHS_PROVISIONING"].as<std::string>();
  const auto provisioning_dir = host_path(grafana, provisioning);
  ASSERT_TRUE(std::filesystem::is_directory(provisioning_dir / "dashboards")) << provisioning_dir;
  // ...whose dashboard provider reads the folder the JSON files are mounted at,
  const YAML::Node providers = YAML::LoadFile((provisioning_dir / "dashboards/switchboard.yml").string());
  const auto dashboards_dir = host_path(grafana, providers["providers"][0]["options"]["path"].as<std::string>());
  EXPECT_TRUE(std::filesystem::exists(dashboards_dir / "call-center-now.json")) << dashboards_dir;
  // ...and whose datasource is the address Prometheus listens on (host networking).
  const YAML::Node datasources = YAML::LoadFile((provisioning_dir / "datasources/prometheus.yml").string());
  EXPECT_EQ(datasources["datasources"][0]["url"].as<std::string>(), "http://" + flag(prometheus, "--web.listen-address"));
  EXPECT_EQ(prometheus["network_mode"].as<std::string>(), "host");
  EXPECT_EQ(grafana["network_mode"].as<std::string>(), "host");
}
