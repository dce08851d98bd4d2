// Cutting an org or rules file into statements and parsing each with the org grammar;
// shared by parse_org (org_parse.cpp) and load_rules (rules.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/source_map.hpp"
#include "candor/error.hpp"
#include "org_ast.hpp"

namespace candor::routing {

// Every statement that parsed; a syntax error in one is reported and the next is read.
std::vector<ast::statement> parse_statements(util::source_map const& source, errors& out);

inline error error_at(location where, std::string code, std::string message) {
    return {severity::error, std::move(code), std::move(message), std::move(where)};
}
inline error warning_at(location where, std::string code, std::string message) {
    return {severity::warning, std::move(code), std::move(message), std::move(where)};
}

// Where a tagged node starts.
inline location at(util::source_map const& source, boost::spirit::x3::position_tagged const& n) {
    return source.at(static_cast<std::size_t>(n.id_first < 0 ? 0 : n.id_first));
}

// Diagnostics in file order, as the survey parser reports them.
void sort_by_place(errors& all);

// The whole file, or nullopt with an "io" error.
std::optional<std::string> read_text(std::string const& path, errors& out);

}  // namespace candor::routing
