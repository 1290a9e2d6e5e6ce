// Small edits of SDP bodies the server sends (RFC 4566, RFC 3264): one
// origin (o=) for the whole session whatever media it carries, its version
// counting up with each change, and the direction an answer gives to an
// offer (hold: sendonly is answered recvonly).
#pragma once

#include <string>
#include <string_view>

namespace switchboard::sip {

// `sdp` with its o= line replaced by the server's origin, session version
// `version` (the address kept from the line it replaces).
std::string with_origin(std::string_view sdp, int version);

// `sdp` with every a=sendrecv|sendonly|recvonly|inactive removed and
// a=`direction` added at its end.
std::string with_direction(std::string_view sdp, std::string_view direction);

// The direction an answer gives to `offer`'s (sendrecv when it names none).
const char* answer_direction(std::string_view offer);

}  // namespace switchboard::sip
