#include "candor/response/csv.hpp"

#include <charconv>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "candor/response/anonymize.hpp"
#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "candor/time.hpp"
#include "util/csv.hpp"

namespace candor::response {

// The dialect is util's, shared with the stats reader.
std::string csv_cell(std::string_view value) {
    return util::csv_cell(value);
}

namespace {

// Rows are built in a string and written in blocks of about this size: a stream's
// operator<< per cell costs more than the cell.
constexpr std::size_t csv_block_bytes = 1u << 16;

template <class Number>
void append_number(std::string& out, Number n) {
    char buf[64];
    auto const [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, end);
}

// A negative number is data, not a formula: only text cells are escaped.
void append_answer(std::string& out, answer const& a) {
    struct visitor {
        std::string& out;
        void operator()(bool b) const { out += b ? "yes" : "no"; }
        void operator()(std::int64_t i) const { append_number(out, i); }
        void operator()(double d) const { append_number(out, d); }
        void operator()(std::string const& s) const { util::append_csv_cell(out, s); }
        void operator()(choice_codes const& c) const {
            std::string joined;
            for (std::size_t i = 0; i < c.size(); ++i) {
                if (i) joined += ';';
                joined += c[i];
            }
            util::append_csv_cell(out, joined);
        }
    };
    std::visit(visitor{out}, a);
}

// The answer columns of a survey, named once for all its rows: each question, then its
// "ID.other" when it has one.
struct columns {
    std::vector<std::string> ids;
    std::unordered_map<std::string_view, std::size_t> index;  // views of `ids`
    explicit columns(survey::survey const& s) {
        for (auto const& q : s.questions) {
            ids.push_back(q.id);
            if (q.other) ids.push_back(q.id + ".other");
        }
        for (std::size_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], i);
    }
    columns(columns const&) = delete;
};

void append_row(std::string& out, survey::survey const& s, columns const& c, response const& r,
                std::vector<answer const*>& cells) {
    util::append_csv_cell(out, r.survey);
    out += ',';
    append_number(out, r.version);
    out += ',';
    util::append_csv_cell(out, r.language);
    out += ',';
    out += format_timestamp(r.submitted);
    out += ',';
    if (r.started) out += format_timestamp(*r.started);
    for (auto const& f : s.fields) {
        out += ',';
        util::append_csv_cell(out, r.field(f));
    }
    // One pass over the answers; the first of a repeated one counts, as response::find.
    cells.assign(c.ids.size(), nullptr);
    for (auto const& [id, a] : r.answers)
        if (auto it = c.index.find(id); it != c.index.end() && !cells[it->second])
            cells[it->second] = &a;
    for (auto const* a : cells) {
        out += ',';
        if (a) append_answer(out, *a);
    }
    out += "\r\n";
}

}  // namespace

void write_csv_header(std::ostream& out, survey::survey const& s) {
    std::string header = "survey,version,language,submitted,started";
    for (auto const& f : s.fields) {
        header += ',';
        util::append_csv_cell(header, f);
    }
    for (auto const& q : s.questions) {
        header += ',';
        util::append_csv_cell(header, q.id);
        if (q.other) {
            header += ',';
            util::append_csv_cell(header, q.id + ".other");
        }
    }
    header += "\r\n";
    out << header;
}

void write_csv_row(std::ostream& out, survey::survey const& s, response const& r) {
    std::string row;
    std::vector<answer const*> cells;
    append_row(row, s, columns(s), r, cells);
    out << row;
}

export_counts export_csv(std::istream& in, std::string const& file_name, survey::survey const& s,
                         std::ostream& out, bool anonymize) {
    export_counts counts;
    write_csv_header(out, s);
    columns const c(s);
    std::string block;
    std::vector<answer const*> cells;
    json_line_reader reader(in, file_name);
    while (auto line = reader.next()) {
        if (!line->value || !validate(s, *line->value).empty()) {
            ++counts.skipped;
            continue;
        }
        if (anonymize) candor::response::anonymize(s, *line->value);
        append_row(block, s, c, *line->value, cells);
        ++counts.exported;
        if (block.size() >= csv_block_bytes) {
            out.write(block.data(), static_cast<std::streamsize>(block.size()));
            block.clear();
        }
    }
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
    return counts;
}

}  // namespace candor::response
