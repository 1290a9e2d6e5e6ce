// libre's pointer-length strings (struct pl) as std::string.
#pragma once

#include <sys/socket.h>

#include <string>

#include <re/re.h>

namespace switchboard::sip {

inline std::string str(const struct pl& p) { return std::string(p.p != nullptr ? p.p : "", p.l); }

}  // namespace switchboard::sip
