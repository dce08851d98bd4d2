#include "candor/stats/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <future>
#include <optional>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "builder.hpp"
#include "candor/time.hpp"
#include "csv_reader.hpp"
#include "util/csv.hpp"

namespace candor::stats {

namespace {

using util::csv_scanner;

// Labels of a category or set column, looked up by view in an open-addressing table: a
// value is copied the first time it is seen only. The survey's options come first, then the
// others sorted (`sorted`).
class labels_index {
  public:
    explicit labels_index(std::vector<std::string> const& options) {
        for (auto const& o : options) code(o);
        fixed_ = labels_.size();
    }
    std::int32_t code(std::string_view label) {
        auto h = hash(label);
        for (auto i = h & mask_;; i = (i + 1) & mask_) {
            auto c = slots_[i];
            if (c < 0) {
                c = slots_[i] = static_cast<std::int32_t>(labels_.size());
                labels_.emplace_back(label);
                hashes_.push_back(h);
                if (labels_.size() * 2 > slots_.size()) grow();
                return c;
            }
            auto k = static_cast<std::size_t>(c);
            if (hashes_[k] == h && labels_[k] == label) return c;
        }
    }
    std::size_t size() const noexcept { return labels_.size(); }
    // The labels in their final order, and old code -> new code.
    std::pair<std::vector<std::string>, std::vector<std::int32_t>> sorted() && {
        std::vector<std::int32_t> order(labels_.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::int32_t>(k);
        std::sort(
            order.begin() + static_cast<std::ptrdiff_t>(fixed_), order.end(), [&](auto a, auto b) {
                return labels_[static_cast<std::size_t>(a)] < labels_[static_cast<std::size_t>(b)];
            });
        std::vector<std::int32_t> remap(labels_.size());
        std::vector<std::string> out;
        out.reserve(labels_.size());
        for (std::size_t k = 0; k < order.size(); ++k) {
            remap[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
            out.push_back(std::move(labels_[static_cast<std::size_t>(order[k])]));
        }
        return {std::move(out), std::move(remap)};
    }

  private:
    // Cells are short: a multiply per eight bytes beats std::hash's out-of-line call. Fixed-size
    // loads only (a byte-wise copy then a word load stalls), the last one overlapping.
    static std::uint64_t hash(std::string_view s) noexcept {
        auto load = [&]<class W>(std::size_t at, W) {
            W w;
            std::memcpy(&w, s.data() + at, sizeof w);
            return std::uint64_t{w};
        };
        constexpr std::uint64_t k = 0xff51afd7ed558ccd;
        auto n = s.size();
        std::uint64_t h = 0x9e3779b97f4a7c15 ^ n;
        for (std::size_t i = 0; i + 8 < n; i += 8) h = (h ^ load(i, std::uint64_t{})) * k;
        auto last = n >= 8   ? load(n - 8, std::uint64_t{})
                    : n >= 4 ? load(0, std::uint32_t{}) << 32 | load(n - 4, std::uint32_t{})
                    : n > 0  ? std::uint64_t{static_cast<unsigned char>(s[0])} << 16 |
                                  std::uint64_t{static_cast<unsigned char>(s[n / 2])} << 8 |
                                  static_cast<unsigned char>(s[n - 1])
                            : 0;
        h = (h ^ last) * k;
        // A product's high bits depend on all the input, its low ones (the slot) do not.
        h = (h ^ h >> 32) * 0xc4ceb9fe1a85ec53;
        return h ^ h >> 32;
    }
    void grow() {
        slots_.assign(slots_.size() * 2, -1);
        mask_ = slots_.size() - 1;
        for (std::size_t k = 0; k < hashes_.size(); ++k) {
            auto i = hashes_[k] & mask_;
            while (slots_[i] >= 0) i = (i + 1) & mask_;
            slots_[i] = static_cast<std::int32_t>(k);
        }
    }

    std::vector<std::string> labels_;
    std::vector<std::uint64_t> hashes_;                                    // of each label
    std::vector<std::int32_t> slots_ = std::vector<std::int32_t>(16, -1);  // codes, or -1
    std::size_t mask_ = 15;
    std::size_t fixed_ = 0;
};

// One column typed as its cells arrive, into an array sized for the most rows the text can
// hold. A column of inferred kind starts as a scale and is widened (number, time, category)
// when a cell does not fit; the caller then feeds it its earlier cells again, once, after
// the last row.
class typed_column {
  public:
    typed_column(detail::column_spec const& spec, Eigen::Index capacity, std::string const& file)
        : spec_(spec),
          file_(file),
          capacity_(capacity),
          inferred_(!spec.kind),
          labels_(spec.options) {
        start(spec.kind.value_or(column_kind::scale));
    }

    // Stores the cell of row r; false when it does not fit the inferred kind so far.
    bool put(Eigen::Index r, std::string_view cell, std::uint32_t line) {
        bool const had = any_;  // as it was, when the cell does not fit
        any_ |= !cell.empty();
        switch (kind_) {
            case column_kind::scale: {
                auto& values = std::get<scale_column>(data_).values;
                values[r] = missing_scale;
                if (cell.empty()) return true;
                auto [a, b] = spec_.range.value_or(std::pair(-127, 127));
                auto v = detail::to_integer(cell);
                if (!v || *v < a || *v > b) {
                    if (inferred_) {
                        any_ = had;
                        return false;
                    }
                    if (!v)
                        fail(cell, line, "not-an-integer", "is not a whole number");
                    else
                        fail(
                            cell, line, "out-of-range",
                            "is outside the scale " + std::to_string(a) + ".." + std::to_string(b));
                    return true;
                }
                values[r] = static_cast<std::int8_t>(*v);
                lo_ = std::min(lo_, static_cast<int>(*v));
                hi_ = std::max(hi_, static_cast<int>(*v));
                break;
            }
            case column_kind::number: {
                auto& values = std::get<number_column>(data_).values;
                values[r] = std::nan("");
                if (cell.empty()) return true;
                auto v = detail::to_number(cell);
                if (!v) {
                    if (inferred_) {
                        any_ = had;
                        return false;
                    }
                    fail(cell, line, "not-a-number", "is not a number");
                    return true;
                }
                values[r] = *v;
                break;
            }
            case column_kind::time: {
                auto& seconds = std::get<time_column>(data_).seconds;
                seconds[r] = missing_time;
                if (cell.empty()) return true;
                auto v = detail::to_time(cell);
                if (!v) {
                    if (inferred_) {
                        any_ = had;
                        return false;
                    }
                    fail(cell, line, "not-a-time", "is not a timestamp or a YYYY-MM-DD date");
                    return true;
                }
                seconds[r] = *v;
                break;
            }
            case column_kind::category:
                std::get<category_column>(data_).codes[r] =
                    cell.empty() ? missing_code : labels_.code(cell);
                break;
            case column_kind::set: {
                // Bits of the codes in order of appearance, renumbered by finish(); past 63
                // labels the column is refused anyway.
                auto& set = std::get<set_column>(data_).sets[r];
                set = cell.empty() ? missing_set : 0;  // empty is a skipped question, not no choice
                while (!cell.empty()) {
                    auto cut = std::min(cell.find(';'), cell.size());
                    if (cut > 0) {
                        auto code = static_cast<std::size_t>(labels_.code(cell.substr(0, cut)));
                        if (code < max_set_options) set |= std::uint64_t{1} << code;
                    }
                    cell.remove_prefix(std::min(cut + 1, cell.size()));
                }
                break;
            }
        }
        return true;
    }

    // After put() refused the cell of row r: the first wider kind that holds it and every
    // cell before it (an integer is a number, a number is never a time, any cell is a label),
    // whose rows before r are to be put again (redo()). Known from the kinds alone, so a
    // widening re-reads nothing.
    void widen(Eigen::Index r, std::string_view cell, std::uint32_t line) {
        auto const was = kind_;
        auto holds_earlier = [&] {
            return !any_ || kind_ == column_kind::category ||
                   (was == column_kind::scale && kind_ == column_kind::number);
        };
        do {
            start(kind_ == column_kind::scale    ? column_kind::number
                  : kind_ == column_kind::number ? column_kind::time
                                                 : column_kind::category);
        } while (!(holds_earlier() && put(r, cell, line)));
        redo_ = r;
    }
    // The rows, from the first, to put again: those before the last widening.
    Eigen::Index redo() const noexcept { return redo_; }

    // The column of its first `rows` rows, or nothing when it is refused; problems go to
    // `errors` (at most 100 cell errors in all).
    std::optional<column> finish(Eigen::Index rows, candor::errors& errors) && {
        for (auto& e : errors_)
            if (errors.size() < 100) errors.push_back(std::move(e));
        if (inferred_ && !any_) start(column_kind::category);  // no value to infer from
        switch (kind_) {
            case column_kind::scale: {
                auto& c = std::get<scale_column>(data_);
                c.values.conservativeResize(rows);
                if (spec_.range) std::tie(lo_, hi_) = *spec_.range;
                if (lo_ > hi_) lo_ = hi_ = 0;
                c.lo = static_cast<std::int8_t>(lo_);
                c.hi = static_cast<std::int8_t>(hi_);
                break;
            }
            case column_kind::number:
                std::get<number_column>(data_).values.conservativeResize(rows);
                break;
            case column_kind::time:
                std::get<time_column>(data_).seconds.conservativeResize(rows);
                break;
            case column_kind::category: {
                auto& c = std::get<category_column>(data_);
                c.codes.conservativeResize(rows);
                if (!any_) c.codes.setConstant(missing_code);
                auto [labels, remap] = std::move(labels_).sorted();
                for (auto& code : c.codes)
                    if (code != missing_code) code = remap[static_cast<std::size_t>(code)];
                c.labels = std::move(labels);
                break;
            }
            case column_kind::set: {
                if (labels_.size() > max_set_options) {
                    errors.push_back({severity::error,
                                      "too-many-options",
                                      "column '" + spec_.name + "' has more than " +
                                          std::to_string(max_set_options) + " options",
                                      {file_, 1, 1}});
                    return std::nullopt;
                }
                auto& c = std::get<set_column>(data_);
                c.sets.conservativeResize(rows);
                auto [labels, remap] = std::move(labels_).sorted();
                for (auto& set : c.sets) {
                    if (set == missing_set) continue;
                    std::uint64_t out = 0;
                    for (std::size_t k = 0; k < remap.size(); ++k)
                        if (set >> k & 1) out |= std::uint64_t{1} << remap[k];
                    set = out;
                }
                c.labels = std::move(labels);
                break;
            }
        }
        return std::move(data_);
    }

  private:
    void start(column_kind k) {
        kind_ = k;
        switch (k) {
            case column_kind::scale:
                data_ = scale_column{column_array<std::int8_t>(capacity_), 0, 0};
                break;
            case column_kind::number:
                data_ = number_column{Eigen::ArrayXd(capacity_)};
                break;
            case column_kind::time:
                data_ = time_column{column_array<std::int64_t>(capacity_)};
                break;
            case column_kind::category:
                data_ = category_column{column_array<std::int32_t>(capacity_), {}};
                break;
            case column_kind::set:
                data_ = set_column{column_array<std::uint64_t>(capacity_), {}};
                break;
        }
    }
    void fail(std::string_view cell, std::uint32_t line, char const* code, std::string what) {
        if (errors_.size() < 100)
            errors_.push_back({severity::error,
                               code,
                               "column '" + spec_.name + "': '" + std::string(cell) + "' " + what,
                               {file_, line, 1}});
    }

    detail::column_spec const& spec_;
    std::string const& file_;
    Eigen::Index capacity_;
    bool inferred_;
    bool any_ = false;  // a cell with a value was stored
    Eigen::Index redo_ = 0;
    column_kind kind_ = column_kind::scale;
    column data_;
    int lo_ = 127, hi_ = -127;
    labels_index labels_;
    candor::errors errors_;
};

}  // namespace

result<frame> parse_csv(std::string_view text, csv_options const& opt, std::string_view file_name) {
    std::string file(file_name);
    auto at = [&](std::uint32_t line) { return location{file, line, 1}; };
    auto syntax = [&](csv_scanner const& s) {
        return candor::error{severity::error, "csv-syntax", s.error(), at(s.error_line())};
    };
    csv_scanner s(text);
    if (!s.next_record())
        return unexpected(candor::errors{{severity::error, "csv-empty", "no header row", at(1)}});
    auto header_line = s.record_line();
    std::vector<std::string> header;
    for (auto more = csv_scanner::cut::more; more == csv_scanner::cut::more;) {
        std::string_view cell;
        if ((more = s.cell(cell)) == csv_scanner::cut::bad)
            return unexpected(candor::errors{syntax(s)});
        if (header.size() == max_csv_columns)
            return fail("too-many-columns",
                        "the header has more than " + std::to_string(max_csv_columns) + " columns",
                        at(header_line));
        header.emplace_back(cell);
    }
    candor::errors errors;  // of the header, then of the widths, then of the cells
    std::set<std::string_view> seen;
    for (auto const& name : header)
        if (name.empty() || !seen.insert(name).second) {
            errors.push_back(
                {severity::error, "csv-header",
                 name.empty() ? "a column has no name" : "two columns named '" + name + "'",
                 at(header_line)});
            break;
        }

    auto specs = detail::specs_for(header, opt);
    // A bound on the records: each but the last ends at a \n or a bare \r. Untouched pages of
    // the columns' arrays cost nothing, so twice as much for \r\n is fine.
    auto capacity = 1 + static_cast<Eigen::Index>(std::count_if(
                            text.begin() + static_cast<std::ptrdiff_t>(s.offset()), text.end(),
                            [](char c) { return c == '\n' || c == '\r'; }));
    std::vector<typed_column> columns;
    columns.reserve(specs.size());
    for (auto const& spec : specs) columns.emplace_back(spec, capacity, file);

    auto body = s.offset();
    auto body_line = s.line();

    // Two workers each type the columns they own, both cutting every cell: cutting is the
    // cheaper part, and each column is then whole, with no merging of dictionaries or kinds.
    std::size_t workers = columns.size() > 1 && std::thread::hardware_concurrency() > 1 ? 2 : 1;
    std::vector<std::size_t> owner(columns.size());
    {
        std::vector<std::size_t> order(columns.size());
        for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
        // Rough cost of a cell: scales are cheap; times, labels and inference are not.
        auto cost = [&](std::size_t j) {
            auto k = specs[j].kind;
            return !k ? 3 : *k == column_kind::scale ? 1 : *k == column_kind::number ? 2 : 3;
        };
        std::stable_sort(order.begin(), order.end(),
                         [&](auto a, auto b) { return cost(a) > cost(b); });
        int load[2] = {0, 0};
        for (auto j : order) {
            owner[j] = workers > 1 && load[1] < load[0] ? 1 : 0;
            load[owner[j]] += cost(j);
        }
    }
    struct body_scan {
        Eigen::Index rows = 0;
        candor::errors widths;
        std::optional<candor::error> syntax;
    };
    auto scan = [&](std::size_t me) {
        body_scan out;
        csv_scanner in(text, body, body_line);
        while (in.next_record()) {
            // Once the file is refused, only more problems matter.
            bool typing = errors.empty() && out.widths.empty();
            std::size_t n = 0;
            for (auto more = csv_scanner::cut::more; more == csv_scanner::cut::more; ++n) {
                std::string_view cell;
                if ((more = in.cell(cell)) == csv_scanner::cut::bad) {
                    out.syntax = syntax(in);
                    return out;
                }
                if (!typing || n >= columns.size() || owner[n] != me) continue;
                if (!columns[n].put(out.rows, cell, in.record_line()))
                    columns[n].widen(out.rows, cell, in.record_line());
            }
            if (n != header.size())
                out.widths.push_back({severity::error, "csv-width",
                                      "this row has " + std::to_string(n) + " cells, the header " +
                                          std::to_string(header.size()),
                                      at(in.record_line())});
            else
                ++out.rows;
        }
        if (!errors.empty() || !out.widths.empty()) return out;
        // The rows before each widening, put again in their column's final kind: one more
        // pass for all columns, however many widened (a pass per column and widening made a
        // wide file cost rows x columns^2).
        Eigen::Index redo = 0;
        for (std::size_t j = 0; j < columns.size(); ++j)
            if (owner[j] == me) redo = std::max(redo, columns[j].redo());
        csv_scanner again(text, body, body_line);
        for (Eigen::Index r = 0; r < redo && again.next_record(); ++r)
            for (auto [n, more] = std::pair(std::size_t{0}, csv_scanner::cut::more);
                 more == csv_scanner::cut::more; ++n) {
                std::string_view cell;
                more = again.cell(cell);
                if (owner[n] == me && r < columns[n].redo() &&
                    !columns[n].put(r, cell, again.record_line()))
                    throw std::logic_error("stats::parse_csv: a widened column refused a cell");
            }
        return out;
    };
    std::future<body_scan> second;
    try {
        if (workers > 1) second = std::async(std::launch::async, scan, 1);
    } catch (std::system_error const&) {
        // No thread to spare: its columns are typed after the others, here.
    }
    auto first = scan(0);
    // The second worker met the same rows and problems.
    if (second.valid())
        second.get();
    else if (workers > 1)
        scan(1);
    if (first.syntax) return unexpected(candor::errors{*first.syntax});
    if (errors.empty()) errors = std::move(first.widths);
    if (!errors.empty()) return unexpected(std::move(errors));
    auto rows = first.rows;

    frame f;
    for (std::size_t j = 0; j < columns.size(); ++j)
        if (auto c = std::move(columns[j]).finish(rows, errors))
            f.add(specs[j].name, std::move(*c));
    if (!errors.empty()) return unexpected(std::move(errors));
    return f;
}

result<frame> read_csv(std::string const& path, csv_options const& opt) {
    auto text = detail::read_file(path);
    if (!text) return unexpected(text.error());
    return parse_csv(*text, opt, path);
}

}  // namespace candor::stats
