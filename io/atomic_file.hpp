// Writing output so that it is either whole or not there: the text goes to a
// temporary file beside the target, then a rename replaces it. Several files
// written as one step (write_files_atomically) appear together or not at all.
// The checks let a command refuse a bad output target before any work starts.
// A target that is a device or a FIFO (/dev/null, /dev/stdout) is written
// straight through, never renamed over: there is nothing to replace.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace switchboard {

// Throws InputError naming `flag` and the path unless `path` can be written
// as a file: not a directory, in a directory that exists.
void check_output_file(const std::filesystem::path& path, const std::string& flag);

// Throws InputError naming `flag` unless `dir` is a directory (or can be
// created: its nearest existing ancestor is a directory) and none of `names`
// inside it is a directory.
void check_output_dir(const std::filesystem::path& dir, const std::vector<std::string>& names,
                      const std::string& flag);

// Throws InputError naming the file when it cannot be written; the target is
// then untouched and no temporary file is left.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

// Writes several files as one step: every text goes to a hidden temporary
// beside its target first; then each target is moved aside and replaced.
// If any step fails every replaced file is put back, so either all files
// are new or all are as they were, and no temporary is left either way.
// Throws InputError naming the file (and `flag`).
void write_files_atomically(const std::vector<std::pair<std::filesystem::path, std::string>>& files,
                            const std::string& flag);

// The same for files named inside `dir` (created if needed; checked with
// check_output_dir). Files already in `dir` that are not being written are kept.
void write_files_atomically(const std::filesystem::path& dir,
                            const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace switchboard
