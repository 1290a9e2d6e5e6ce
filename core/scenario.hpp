// The scenario model: one value that describes a call center, its traffic and
// its targets. Loaded from YAML by io/scenario_loader, read by every driver.
// Everything here is plain data: names are resolved to indices at load time so
// that the hot paths never look anything up by string.
//
// Units: every duration is in seconds (double); rates are calls per hour;
// times on the horizon are seconds since the horizon's start.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace switchboard {

inline constexpr int kNone = -1;

// A probability distribution as the scenario states it. Sampling lives with
// the behaviour models (sim/behaviour.hpp); core only reads means.
enum class DistKind { none, constant, exponential, lognormal, gamma, weibull, empirical };

struct Distribution {
  DistKind kind = DistKind::none;
  double value = 0;                 // constant
  double mean = 0;                  // exponential, lognormal, gamma
  double sd = 0;                    // lognormal, gamma
  double shape = 0;                 // weibull
  double scale = 0;                 // weibull
  std::vector<double> samples;      // empirical: observed values, resampled uniformly

  // Expected value (weibull and empirical computed); 0 for `none`.
  double expected() const;

  static Distribution constant_of(double v) { Distribution d; d.kind = DistKind::constant; d.value = v; return d; }
  static Distribution exponential_of(double mean) { Distribution d; d.kind = DistKind::exponential; d.mean = mean; return d; }
};

enum class ArrivalKind {
  poisson,            // piecewise-constant rate per interval
  poisson_gamma,      // the day's rates times a gamma(shape, 1/shape) busyness factor
  deterministic,      // evenly spaced at the interval's rate (what SIPp does)
  replay_counts,      // counts per recorded interval, spread uniformly inside it
  replay_timestamps,  // the exact arrival instants of a recorded list
};

// One recorded bin of a replayed count file, already placed on the horizon.
struct CountBin {
  double start = 0;   // seconds since horizon start
  double length = 0;  // seconds
  double calls = 0;   // whole calls
};

struct ArrivalSpec {
  ArrivalKind kind = ArrivalKind::poisson;
  std::vector<double> rate_per_hour;   // one per interval; a single value holds all horizon
  double busyness_shape = 0;           // poisson_gamma
  double scale = 1;                    // multiplies every rate or count
  std::string file;                    // replay_*: resolved path of the recorded file
  std::string day;                     // replay_counts: YYYY-MM-DD of the day to replay
  std::vector<CountBin> bins;          // replay_counts, loaded
  std::vector<double> timestamps;      // replay_timestamps, loaded, sorted, on the horizon
};

struct Horizon {
  double length = 0;       // seconds simulated after warm-up
  double interval = 900;   // planning interval for reporting and staffing
  double warmup = 0;       // seconds simulated before statistics start (steady-state runs)
  double start_clock = 0;  // clock time of t = 0, seconds after midnight (display, hours)

  int intervals() const;   // number of reporting intervals covering `length`
  // The reporting interval `t` falls in; -1 outside [0, length). Inline: asked for every call.
  int interval_at(double t) const { return t < 0 || t >= length ? -1 : static_cast<int>(t / interval); }
};

struct ServiceTargets {
  double answer_within = 20;  // T of the service level
  double short_abandon = 5;   // abandons within this many seconds are short abandons
  double target_sl = 0.8;     // used by staffing and --assert
};

struct SkillLevel {
  int skill = kNone;
  int level = 1;  // 1 is best
};

// Agents one group may have logged in at once (each is a record in memory).
inline constexpr int kMaxAgentsInGroup = 1'000'000;
// Reporting intervals a horizon may have: each keeps its own KPI tables
// (counters and a wait histogram per queue, about 1.5 KB each); a year of
// 5-minute intervals fits.
inline constexpr int kMaxIntervals = 200'000;

struct AgentGroup {
  std::string name;
  std::vector<SkillLevel> skills;
  std::vector<int> staffing;          // agents logged in per interval; one value holds all horizon
  Distribution answer_delay;          // ring time before the agent answers (none = instant)
  double no_answer_probability = 0;   // an offered call is not answered
  double ring_timeout = 20;           // ring-no-answer after this long
  double no_answer_pause = 60;        // the agent is out of rotation this long after a no-answer
  Distribution wrap_up;               // after-call work

  int staffed_at(int interval) const;
};

// The core keeps a call's priority class and overflow stage, and an
// agent's group, call type and queue, in 16 bits (call and agent records of
// one cache line each, core/call_center.hpp, core/agents.hpp): a scenario
// has at most this many of each.
inline constexpr std::size_t kMaxPriorityClasses = 32767;
inline constexpr std::size_t kMaxOverflowSteps = 32767;
inline constexpr std::size_t kMaxAgentGroups = 65535;
inline constexpr std::size_t kMaxCallTypes = 32767;
inline constexpr std::size_t kMaxQueues = 32767;

struct OverflowStep {
  double after = 0;                 // seconds in queue
  std::vector<int> add_skills;      // agents with these skills may now take the call
  std::vector<int> add_groups;      // agents of these groups may now take the call
  int move_to_queue = kNone;        // or the call moves to another queue, keeping its wait
};

enum class RoutingPolicy { longest_idle, best_skill, least_occupied, round_robin };

struct CallbackPolicy {
  bool enabled = false;
  double offer_above_wait = 300;      // offer when the expected wait exceeds this
};

struct OpenHours {
  bool always = true;
  double open = 0;    // seconds after midnight
  double close = 0;   // seconds after midnight (exclusive)
};

struct Queue {
  std::string name;
  int skill = kNone;
  RoutingPolicy routing = RoutingPolicy::longest_idle;
  int max_length = -1;               // -1: unlimited
  int when_full_queue = kNone;       // kNone: busy signal
  std::vector<OverflowStep> overflow;  // sorted by `after`
  CallbackPolicy callback;
  OpenHours hours;
  int when_closed_queue = kNone;     // kNone: the caller hears closed and hangs up
};

struct PriorityClass {
  std::string name;
  double head_start = 0;  // seconds of credit at entry
  double weight = 1;      // aging: weighted wait = weight * wait + head_start
};

enum class IvrKind { prompt, menu, self_service, lookup, queue, ticket, hangup, ticket_status };

struct MenuOption {
  char digit = 0;
  int next = kNone;
};

struct IvrNode {
  std::string id;
  IvrKind kind = IvrKind::prompt;
  int next = kNone;                  // prompt, lookup (not tagged), ticket, self_service (on success: contained), ticket_status (no open ticket)
  double duration = 0;               // prompt length; for a menu, the prompt before collecting
  // menu
  std::vector<MenuOption> options;
  double timeout = 5;                // wait for a digit after the prompt
  int retries = 2;                   // re-prompts after a timeout or invalid digit
  int on_fail = kNone;               // after the retries; for self_service: not contained
  // self_service
  Distribution service_time;
  double success_probability = 0;
  // lookup
  int tag = kNone;
  int tagged_priority = kNone;       // priority class given to tagged callers
  int tagged_next = kNone;           // kNone: continue at next
  // queue
  int queue = kNone;
  int priority = kNone;              // kNone: keep the caller's priority
  // ticket
  int category = kNone;
  // ticket_status: the node telling each state of the caller's open ticket,
  // indexed by ticketing::Status (kNone for the states that are not open)
  std::vector<int> state_next;
};

// What a caller does at one menu: digits with probabilities. digit 0 means
// the caller presses nothing (timeout); '?' means a digit the menu lacks.
struct DigitChoice {
  char digit = 0;
  double probability = 0;
};

struct MenuBehaviour {
  int node = kNone;
  std::vector<DigitChoice> choices;
};

struct TagProbability {
  int tag = kNone;
  double probability = 0;
};

struct Redial {
  double probability = 0;
  Distribution delay;
};

struct Disposition {
  int category = kNone;
  double probability = 0;  // share of handled calls that end with this ticket
};

struct CallType {
  std::string name;
  ArrivalSpec arrivals;
  Distribution patience;         // none: callers never abandon
  Distribution handle_time;      // talk time
  int entry_queue = kNone;       // exactly one of entry_queue / entry_node
  int entry_node = kNone;
  int priority = 0;              // priority class index
  std::vector<TagProbability> tags;
  Redial redial;
  std::vector<MenuBehaviour> menus;
  Distribution menu_response;    // time to press a digit after the menu prompt
  double callback_accept = 0;    // probability a caller takes an offered callback
  std::vector<Disposition> dispositions;
};

// A ticket with all of `tags` goes to `group` (kNone: the category's) with
// its priority raised by `raise_priority` (docs/tickets.md, assignment).
struct TicketRoute {
  std::vector<std::string> tags;
  int group = kNone;
  int raise_priority = 0;
};

struct TicketCategory {
  std::string name;
  int owner_group = kNone;
  double sla = 86400;            // seconds from creation to resolution
  Distribution work_time;        // back-office time from creation to resolution
  // Work-order rules (core/ticket_rules.hpp); all optional.
  double first_response = -1;    // seconds from creation to first response; < 0: same as sla
  int priority = 3;              // 1 (lowest) .. 5 (highest)
  int skill = kNone;             // agents need this skill to own the ticket; kNone: any agent of the group
  int senior_group = kNone;      // where escalated tickets go; kNone: the owning group
  std::vector<TicketRoute> routes;  // first match wins
  std::vector<std::string> escalate_tags = {"complaint"};  // a ticket with one of these is escalated at once
};

// Back-office workers of one agent group: they work the group's tickets one
// at a time (docs/tickets.md, "The back office in the simulator"). Scenarios
// without a back office keep the plain delay: each ticket is worked at once.
struct BackOfficeGroup {
  int group = kNone;                // the agent group whose tickets they work
  std::vector<int> staffing;        // workers per interval; one value holds all horizon

  int staffed_at(int interval) const;
};

// A SIP agent (`switchboard serve --agents sip`): the digest credentials it
// registers with and the group it works in. Not used by the simulators.
struct AgentLogin {
  std::string user;      // SIP user part of the agent's address of record
  std::string password;
  int group = 0;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source;            // file it was loaded from
  Horizon horizon;
  ServiceTargets targets;
  std::vector<std::string> skills;
  std::vector<std::string> tags;
  std::vector<PriorityClass> priorities;   // index 0 is the default class
  std::vector<AgentGroup> groups;
  std::vector<Queue> queues;
  std::vector<IvrNode> ivr;
  std::vector<TicketCategory> ticket_categories;
  std::vector<BackOfficeGroup> back_office;  // empty: tickets are a delay (no queue, no workers)
  std::vector<CallType> call_types;
  std::string platform;          // SimGrid platform file (optional)
  std::vector<AgentLogin> agent_logins;
};

}  // namespace switchboard
