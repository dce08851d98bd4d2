// The organisation a response is routed in: sites grouped into regions and brands, roles
// (front-line or management) and the people holding them, read from an org file
// (docs/routing.md) and checked like a survey: every error at its line and column.
// Thread safety: value types and pure functions; an organisation once parsed may be read from
// many threads at once (const members only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/routing/time.hpp"

namespace candor::routing {

// Where a role is held: at one site, over a region or a brand, or at head office.
enum class scope : std::uint8_t { site, region, brand, head_office };
std::string_view to_string(scope s) noexcept;

struct brand {
    std::string id;
    std::string name;
    location where;
};

struct region {
    std::string id;
    std::string name;
    location where;
};

struct site {
    std::string id;
    std::string name;
    std::string region;  // id; empty when the site belongs to none
    std::string brand;
    local_time time;
    location where;
};

struct role {
    std::string id;
    std::string name;
    bool front_line = false;  // staff a card may be about: never a recipient at its site
    scope level = scope::site;
    std::string escalates_to;      // next role up; empty: head office's fallback
    bool contacts_guests = false;  // may see a guest's contact details
    location where;
};

enum class channel_kind : std::uint8_t { email, webhook, callback };
std::string_view to_string(channel_kind k) noexcept;

struct channel {
    channel_kind kind = channel_kind::email;
    std::string address;  // e-mail address, URL, or the callback's name
};

struct holding {
    std::string role;
    std::string place;  // site, region or brand id; empty at head office
};

struct person {
    std::string id;
    std::string name;
    std::vector<holding> holds;
    std::vector<channel> channels;
    location where;
    std::string language;            // `language "fr"`: of their e-mails; empty: the survey's
    std::optional<local_time> time;  // `timezone "Europe/Paris"`: of times in their e-mails
};

struct organisation {
    std::string file;  // the file it was read from, as given
    std::vector<brand> brands;
    std::vector<region> regions;
    std::vector<site> sites;
    std::vector<role> roles;
    std::vector<person> people;
    local_time head_office_time;
    std::string fallback_role;  // a head-office management role: what nothing else gets
    std::string duty_field;     // device field naming the staff on duty (a person id)
    duration default_deadline{1, duration_unit::business_days};  // to acknowledge a case
    errors warnings;

    site const* find_site(std::string_view id) const noexcept;
    role const* find_role(std::string_view id) const noexcept;
    person const* find_person(std::string_view id) const noexcept;
    int role_index(std::string_view id) const noexcept;
    int site_index(std::string_view id) const noexcept;
};

// Parses and checks an org file; `when`/`always` rule statements in it are only checked
// for syntax here and compiled by load_rules. `file_name` labels the errors.
result<organisation> parse_org(std::string_view text, std::string_view file_name = "<org>");
// Reads a file and parses it; a file that cannot be read is one error (code "io").
result<organisation> parse_org_file(std::string const& path);

}  // namespace candor::routing
