// Writing an output file so that it is either whole or not there: the text
// goes to a temporary file beside it, then a rename replaces the target.
#pragma once

#include <filesystem>
#include <string>

namespace switchboard {

// Throws InputError naming the file when it cannot be written.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace switchboard
