#include "store/callback_store.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::store {

std::int64_t CallbackStore::promise(const PromisedCallback& c) {
  return in_transaction(*db_, [&] {
    const SqlResult r =
        db_->run("INSERT INTO callbacks (call_id, caller, call_type, queue, priority, tags, promised, outcome) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, '') RETURNING id",
                 {c.call_id, c.caller, c.call_type, c.queue, std::int64_t{c.priority}, nlohmann::json(c.tags).dump(), c.promised});
    return std::stoll(r.rows.at(0).at(0).value_or("0"));
  });
}

void CallbackStore::done(std::int64_t id, double at, const std::string& outcome) {
  in_transaction(*db_, [&] {
    db_->run("UPDATE callbacks SET done = $1, outcome = $2 WHERE id = $3 AND done IS NULL", {at, outcome, id});
  });
}

std::vector<PromisedCallback> CallbackStore::pending() {
  const SqlResult r = db_->run(
      "SELECT id, call_id, caller, call_type, queue, priority, tags, promised FROM callbacks WHERE done IS NULL ORDER BY id");
  std::vector<PromisedCallback> out;
  for (const SqlRow& row : r.rows) {
    PromisedCallback c;
    c.id = std::stoll(row.at(0).value_or("0"));
    c.call_id = row.at(1).value_or("");
    c.caller = row.at(2).value_or("");
    c.call_type = row.at(3).value_or("");
    c.queue = row.at(4).value_or("");
    c.priority = std::stoi(row.at(5).value_or("0"));
    c.tags = nlohmann::json::parse(row.at(6).value_or("[]")).get<std::vector<std::string>>();
    c.promised = std::stod(row.at(7).value_or("0"));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace switchboard::store
