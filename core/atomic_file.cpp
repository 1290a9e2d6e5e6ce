#include "core/atomic_file.hpp"

#include <fstream>
#include <random>

#include "core/input_error.hpp"

namespace fs = std::filesystem;

namespace switchboard {

namespace {

// A name no other run picks: hidden, so a listing does not show it while it lives.
std::string temporary_name(const std::string& stem) {
  std::random_device rd;
  return "." + stem + ".tmp-" + std::to_string(rd()) + std::to_string(rd());
}

[[noreturn]] void refuse(const fs::path& path, const std::string& flag, const std::string& why) {
  throw InputError(Problem{path.string(), 0, 0, flag, why});
}

// Writes `text` to `path` (a fresh name); false when it could not.
bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

fs::path parent_or_dot(const fs::path& path) {
  return path.parent_path().empty() ? fs::path(".") : path.parent_path();
}

}  // namespace

void check_output_file(const fs::path& path, const std::string& flag) {
  std::error_code ec;
  if (path.empty()) refuse(path, flag, "expected a file name");
  if (fs::is_directory(path, ec)) refuse(path, flag, "is a directory: expected a file to write");
  if (!fs::is_directory(parent_or_dot(path), ec))
    refuse(path, flag, "cannot write the file: its directory " + parent_or_dot(path).string() + " does not exist");
}

void check_output_dir(const fs::path& dir, const std::vector<std::string>& names, const std::string& flag) {
  std::error_code ec;
  if (dir.empty()) refuse(dir, flag, "expected a directory");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) refuse(dir, flag, "is a file: expected a directory");
  if (!fs::exists(dir, ec)) {
    fs::path ancestor = fs::absolute(dir, ec).parent_path();
    while (!ancestor.empty() && !fs::exists(ancestor, ec) && ancestor != ancestor.parent_path()) ancestor = ancestor.parent_path();
    if (!fs::is_directory(ancestor, ec)) refuse(dir, flag, "expected a directory that can be created: " + ancestor.string() + " is not a directory");
    return;
  }
  for (const auto& name : names)
    if (fs::is_directory(dir / name, ec)) refuse(dir / name, flag, "is a directory: expected a file to write");
}

void write_file_atomically(const fs::path& path, const std::string& text) {
  check_output_file(path, "");
  const fs::path tmp = parent_or_dot(path) / temporary_name(path.filename().string());
  std::error_code ec;
  if (!write_text(tmp, text)) {
    fs::remove(tmp, ec);
    refuse(path, "", "cannot write the file");
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    refuse(path, "", "cannot write the file: " + why);
  }
}

void write_files_atomically(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.first);
  check_output_dir(dir, names, "--out");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) refuse(dir, "--out", "expected a directory that can be created");
  const fs::path staging = dir / temporary_name("staging");
  const fs::path fresh = staging / "new", old = staging / "old";
  if (!fs::create_directories(fresh, ec) || !fs::create_directories(old, ec))
    refuse(dir, "--out", "cannot write into the directory");
  auto fail = [&](const fs::path& path, const std::string& why) {
    fs::remove_all(staging, ec);
    refuse(path, "--out", why);
  };
  for (const auto& [name, text] : files)
    if (!write_text(fresh / name, text)) fail(dir / name, "cannot write the file");
  // Each step moves the old file aside, then the new one in; `done` counts
  // finished steps, `moved_aside` whether the step in progress moved one.
  std::size_t done = 0;
  std::string why;
  for (; done < files.size(); ++done) {
    const auto& name = files[done].first;
    const bool existed = fs::exists(fs::symlink_status(dir / name, ec));
    if (existed) {
      fs::rename(dir / name, old / name, ec);
      if (ec) break;
    }
    fs::rename(fresh / name, dir / name, ec);
    if (ec) {
      why = ec.message();
      if (existed) fs::rename(old / name, dir / name, ec);
      break;
    }
  }
  if (done < files.size()) {
    if (why.empty()) why = ec.message();
    const std::string failed = files[done].first;
    // Undo the finished steps, newest first: the old file back, or the new one gone.
    while (done-- > 0) {
      const auto& name = files[done].first;
      if (fs::exists(fs::symlink_status(old / name, ec))) fs::rename(old / name, dir / name, ec);
      else fs::remove(dir / name, ec);
    }
    fail(dir / failed, "cannot write the file: " + why + " (no file in the directory was replaced)");
  }
  fs::remove_all(staging, ec);
}

}  // namespace switchboard
