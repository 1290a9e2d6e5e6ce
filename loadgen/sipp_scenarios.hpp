// The SIPp scenarios of loadgen/*.xml, compiled in (loadgen/CMakeLists.txt).
#pragma once

namespace switchboard::loadgen {

extern const char* const kCallerPlanXml;     // loadgen/caller-plan.xml
extern const char* const kOptionsProbeXml;   // loadgen/options-probe.xml

}  // namespace switchboard::loadgen
