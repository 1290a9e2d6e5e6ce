// The ticket rules the store tests open tickets by: repair (group back,
// escalated to seniors, first response 1 h, resolution 1 day) and billing
// (group front, 10 min and 2 h).
#pragma once

#include "core/ticket_rules.hpp"

namespace switchboard::test {

inline ticketing::Rules store_rules() {
  ticketing::Rules r;
  ticketing::CategoryRules repair;
  repair.name = "repair";
  repair.group = "back";
  repair.senior_group = "seniors";
  repair.first_response = 3600;
  repair.resolution = 86400;
  r.categories.push_back(repair);
  ticketing::CategoryRules billing;
  billing.name = "billing";
  billing.group = "front";
  billing.first_response = 600;
  billing.resolution = 7200;
  r.categories.push_back(billing);
  return r;
}

}  // namespace switchboard::test
