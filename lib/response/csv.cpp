#include "candor/response/csv.hpp"

#include <charconv>

#include "candor/time.hpp"
#include "util/csv.hpp"

namespace candor::response {

// The dialect is util's, shared with the stats reader.
std::string csv_cell(std::string_view value) {
    return util::csv_cell(value);
}

namespace {

std::string answer_text(answer const& a) {
    struct visitor {
        std::string operator()(bool b) const { return b ? "yes" : "no"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            char buf[64];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
            return std::string(buf, end);
        }
        std::string operator()(std::string const& s) const { return s; }
        std::string operator()(choice_codes const& c) const {
            std::string out;
            for (std::size_t i = 0; i < c.size(); ++i) {
                if (i) out += ';';
                out += c[i];
            }
            return out;
        }
    };
    return std::visit(visitor{}, a);
}

// A negative number is data, not a formula: only text cells are escaped.
std::string cell_for(answer const& a) {
    bool const number = std::holds_alternative<std::int64_t>(a) || std::holds_alternative<double>(a);
    return number ? answer_text(a) : csv_cell(answer_text(a));
}

}  // namespace

void write_csv_header(std::ostream& out, survey::survey const& s) {
    out << "survey,version,language,submitted,started";
    for (auto const& f : s.fields) out << ',' << csv_cell(f);
    for (auto const& q : s.questions) {
        out << ',' << csv_cell(q.id);
        if (q.other) out << ',' << csv_cell(q.id + ".other");
    }
    out << "\r\n";
}

void write_csv_row(std::ostream& out, survey::survey const& s, response const& r) {
    out << csv_cell(r.survey) << ',' << r.version << ',' << csv_cell(r.language) << ','
        << format_timestamp(r.submitted) << ',' << (r.started ? format_timestamp(*r.started) : "");
    for (auto const& f : s.fields) out << ',' << csv_cell(r.field(f));
    for (auto const& q : s.questions) {
        out << ',';
        if (auto const* a = r.find(q.id)) out << cell_for(*a);
        if (q.other) {
            out << ',';
            if (auto const* a = r.find(q.id + ".other")) out << cell_for(*a);
        }
    }
    out << "\r\n";
}

}  // namespace candor::response
