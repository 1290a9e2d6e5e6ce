// What the IVR's ticket_status node asks the driver: the state of the
// caller's open ticket. The core knows no caller numbers and no store; a
// driver that keeps tickets (serve, on the ticket store) answers from the
// calling number, and without one (CallCenterOptions::ticket_lookup null,
// the simulator) every lookup is a miss.
#pragma once

#include <optional>

#include "core/driver.hpp"
#include "core/ticket_model.hpp"

namespace switchboard {

class TicketLookup {
 public:
  virtual ~TicketLookup() = default;
  // The state of the newest open ticket (ticketing::is_open) of the caller
  // of `call`, or nothing when the caller has none. Answered at once.
  virtual std::optional<ticketing::Status> open_ticket_state(CallHandle call) = 0;
};

}  // namespace switchboard
