#include "io/atomic_file.hpp"

#include <unistd.h>

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

// A target that exists and is neither a regular file nor a directory: a
// device (/dev/null, /dev/stdout) or a FIFO. It is written straight
// through: there is nothing to replace whole, and a rename over it would
// put a regular file in its place (as root, even over /dev/null).
bool is_stream(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  return !ec && fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st);
}

void write_stream(const fs::path& path, const std::string& text, const std::string& flag) {
  if (!write_text(path, text)) refuse(path, flag, "cannot write to it");
}

}  // namespace

void check_output_file(const fs::path& path, const std::string& flag) {
  std::error_code ec;
  if (path.empty()) refuse(path, flag, "expected a file name");
  if (is_stream(path)) {
    if (access(path.c_str(), W_OK) != 0) refuse(path, flag, "cannot write to it");
    return;
  }
  if (fs::is_directory(path, ec)) refuse(path, flag, "is a directory: expected a file to write");
  if (!fs::is_directory(parent_or_dot(path), ec))
    refuse(path, flag, "cannot write the file: its directory " + parent_or_dot(path).string() + " does not exist");
  if (access(parent_or_dot(path).c_str(), W_OK) != 0)
    refuse(path, flag, "cannot write the file: its directory " + parent_or_dot(path).string() + " is not writable");
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
  if (is_stream(path)) return write_stream(path, text, "");
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

namespace {

// The regular files of write_files_atomically, replaced together.
void replace_together(const std::vector<std::pair<fs::path, std::string>>& files, const std::string& flag) {
  std::error_code ec;
  // 1. Every new text into a hidden temporary beside its target.
  std::vector<fs::path> fresh, old;
  auto discard = [&](const std::vector<fs::path>& paths) {
    for (const auto& p : paths) fs::remove(p, ec);
  };
  for (const auto& [path, text] : files) {
    fresh.push_back(parent_or_dot(path) / temporary_name(path.filename().string()));
    if (!write_text(fresh.back(), text)) {
      discard(fresh);
      refuse(path, flag, "cannot write the file (no file was replaced)");
    }
  }
  // 2. Each target moved aside (when it exists), then its new text moved in.
  //    On a failure the finished steps are undone, newest first.
  std::size_t done = 0;
  std::string why;
  for (; done < files.size(); ++done) {
    const fs::path& target = files[done].first;
    old.push_back(parent_or_dot(target) / temporary_name(target.filename().string() + ".old"));
    if (fs::exists(fs::symlink_status(target, ec))) {
      fs::rename(target, old.back(), ec);
      if (ec) {
        why = ec.message();
        break;
      }
    }
    fs::rename(fresh[done], target, ec);
    if (ec) {
      why = ec.message();
      fs::rename(old.back(), target, ec);  // nothing to put back when it did not exist
      break;
    }
  }
  if (done < files.size()) {
    const fs::path failed = files[done].first;
    while (done-- > 0) {
      const fs::path& target = files[done].first;
      if (fs::exists(fs::symlink_status(old[done], ec))) fs::rename(old[done], target, ec);
      else fs::remove(target, ec);
    }
    discard(fresh);
    discard(old);
    refuse(failed, flag, "cannot write the file: " + why + " (no file was replaced)");
  }
  discard(old);
}

}  // namespace

void write_files_atomically(const std::vector<std::pair<fs::path, std::string>>& files, const std::string& flag) {
  for (const auto& f : files) check_output_file(f.first, flag);
  // Devices and FIFOs (`--coverage /dev/null`) take their text after the
  // files, which are replaced together or not at all.
  std::vector<std::pair<fs::path, std::string>> regular, streams;
  for (const auto& f : files) (is_stream(f.first) ? streams : regular).push_back(f);
  replace_together(regular, flag);
  for (const auto& [path, text] : streams) write_stream(path, text, flag);
}

void write_files_atomically(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.first);
  check_output_dir(dir, names, "--out");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) refuse(dir, "--out", "expected a directory that can be created");
  std::vector<std::pair<fs::path, std::string>> paths;
  for (const auto& [name, text] : files) paths.emplace_back(dir / name, text);
  write_files_atomically(paths, "--out");
}

}  // namespace switchboard
