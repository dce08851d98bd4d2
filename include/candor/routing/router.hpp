// Deciding who hears of a response: the rules that match, the people holding the roles
// they name at the response's site, region, brand or head office, with the bypass
// guarantee applied again (no front-line person of the site, nor the staff named on duty
// in the response's duty field) and the head-office fallback for what no rule takes.
// Thread safety: a router is immutable once built: decide() and the other const members may
// be called from many threads at once (each with its own decision), while the org, survey
// and rules it refers to do not change.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "candor/response/response.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/rules.hpp"
#include "candor/survey/survey.hpp"

namespace candor::routing {

inline constexpr std::uint32_t no_rule = 0xFFFFFFFFu;

struct recipient {
    std::uint32_t person = 0;      // index into organisation::people
    std::uint32_t role = 0;        // index into organisation::roles: the role they hear as
    std::uint32_t rule = no_rule;  // the first rule that sent it; no_rule for the fallback
    bool digest = false;
};

struct decision {
    std::vector<std::uint32_t> matched;    // rule indices
    std::vector<recipient> recipients;     // one per person
    bool fallback = false;                 // no rule matched: sent to head office's fallback role
    bool unknown_site = false;             // the site field names no site of the org
    std::uint32_t bypassed = 0;            // people skipped by the bypass guarantee
    std::vector<std::uint8_t> role_marks;  // the router's working space
};

class router {
  public:
    // Keeps references: org, survey and rules must outlive the router.
    router(organisation const& org, survey::survey const& survey, rule_set const& rules);
    router(router&&) noexcept;
    router& operator=(router&&) noexcept;
    ~router();

    // Fills `out` (reusing its storage): what routing `r` means. Sends nothing.
    void decide(response::response const& r, decision& out) const;
    decision decide(response::response const& r) const;

    // The bypass guarantee for one person and one response, checked again at delivery.
    bool may_receive(std::uint32_t person, response::response const& r) const;
    // The people who receive as `role` for a response: `role` at its place, or the first
    // role above it someone holds (so a role nobody holds there does not lose the card).
    // Empty only when nobody up to head office's fallback may receive it.
    std::vector<recipient> recipients_as(std::uint32_t role, response::response const& r) const;
    // The role above `role` (its escalates-to, else the fallback); nullopt at the top.
    std::optional<std::uint32_t> above(std::uint32_t role) const;

    organisation const& org() const noexcept;
    rule_set const& rules() const noexcept;
    survey::survey const& survey() const noexcept;

  private:
    struct impl;
    std::unique_ptr<impl> p_;
};

}  // namespace candor::routing
