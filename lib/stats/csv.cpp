#include "candor/stats/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <future>
#include <limits>
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
    std::string const& label(std::size_t k) const noexcept { return labels_[k]; }
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
    column_kind kind() const noexcept { return kind_; }
    bool any() const noexcept { return any_; }

    // Its cells' errors `lines` further down.
    void append_lines(std::uint32_t lines) {
        for (auto& e : errors_) e.where.line += lines;
    }
    // The `more` rows of `o`, a column of the same kind typed from the rows after this one's
    // `rows`, appended; its labels recoded into this one's, its cells' errors after this
    // one's, `lines` further down.
    void append(typed_column&& o, Eigen::Index rows, Eigen::Index more, std::uint32_t lines) {
        for (auto& e : o.errors_) {
            if (errors_.size() == 100) break;
            e.where.line += lines;
            errors_.push_back(std::move(e));
        }
        any_ |= o.any_;
        lo_ = std::min(lo_, o.lo_);
        hi_ = std::max(hi_, o.hi_);
        auto join = [&](auto& to, auto const& from) {
            to.conservativeResize(rows + more);
            to.segment(rows, more) = from.head(more);
        };
        std::visit(
            [&]<class C>(C& to) {
                auto& from = std::get<C>(o.data_);
                if constexpr (std::is_same_v<C, scale_column> || std::is_same_v<C, number_column>) {
                    join(to.values, from.values);
                } else if constexpr (std::is_same_v<C, time_column>) {
                    join(to.seconds, from.seconds);
                } else {
                    std::vector<std::int32_t> code(o.labels_.size());
                    for (std::size_t k = 0; k < code.size(); ++k)
                        code[k] = labels_.code(o.labels_.label(k));
                    if constexpr (std::is_same_v<C, category_column>) {
                        for (auto& c : from.codes.head(more))
                            if (c != missing_code) c = code[static_cast<std::size_t>(c)];
                        join(to.codes, from.codes);
                    } else {
                        for (auto& set : from.sets.head(more)) {
                            if (set == missing_set) continue;
                            std::uint64_t bits = 0;
                            for (std::size_t k = 0; k < code.size() && k < max_set_options; ++k)
                                if (set >> k & 1 &&
                                    static_cast<std::size_t>(code[k]) < max_set_options)
                                    bits |= std::uint64_t{1} << code[k];
                            set = bits;
                        }
                        join(to.sets, from.sets);
                    }
                }
            },
            data_);
    }

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

    // The columns typed, and where each cell of a record goes among them (none: unread).
    constexpr std::size_t unread = std::numeric_limits<std::size_t>::max();
    std::vector<std::string> kept;
    std::vector<std::size_t> slot(header.size(), unread);
    for (std::size_t n = 0; n < header.size(); ++n)
        if (opt.columns.empty() ||
            std::find(opt.columns.begin(), opt.columns.end(), header[n]) != opt.columns.end()) {
            slot[n] = kept.size();
            kept.push_back(header[n]);
        }
    auto specs = detail::specs_for(kept, opt);
    auto const body = s.offset();
    auto const body_line = s.line();

    // One slice of the records, typed into columns of its own: every column of its rows.
    struct slice {
        std::size_t begin = 0, end = 0;  // of the text
        Eigen::Index rows = 0;
        std::vector<typed_column> columns;
        candor::errors widths;
        std::optional<candor::error> syntax;
        std::uint32_t lines = 0;  // line breaks in it
    };
    // Lines in a slice count from 1 (the file's are worked out once all are read).
    auto scan = [&](slice& out) {
        auto text_of = text.substr(0, out.end);
        // A bound on the records: each but the last ends at a \n or a bare \r. Untouched
        // pages of the columns' arrays cost nothing, so twice as much for \r\n is fine.
        auto capacity = 1 + static_cast<Eigen::Index>(std::count_if(
                                text_of.begin() + static_cast<std::ptrdiff_t>(out.begin),
                                text_of.end(), [](char c) { return c == '\n' || c == '\r'; }));
        out.columns.reserve(specs.size());
        for (auto const& spec : specs) out.columns.emplace_back(spec, capacity, file);
        auto& columns = out.columns;
        csv_scanner in(text_of, out.begin, 1);
        while (in.next_record()) {
            // Once the file is refused, only more problems matter.
            bool typing = errors.empty() && out.widths.empty();
            std::size_t n = 0;
            for (auto more = csv_scanner::cut::more; more == csv_scanner::cut::more; ++n) {
                std::string_view cell;
                if ((more = in.cell(cell)) == csv_scanner::cut::bad) {
                    out.syntax = syntax(in);
                    return;
                }
                if (!typing || n >= slot.size() || slot[n] == unread) continue;
                auto& column = columns[slot[n]];
                if (!column.put(out.rows, cell, in.record_line()))
                    column.widen(out.rows, cell, in.record_line());
            }
            if (n != header.size())
                out.widths.push_back({severity::error, "csv-width",
                                      "this row has " + std::to_string(n) + " cells, the header " +
                                          std::to_string(header.size()),
                                      at(in.record_line())});
            else
                ++out.rows;
        }
        out.lines = in.line() - 1;
        if (!errors.empty() || !out.widths.empty()) return;
        // The rows before each widening, put again in their column's final kind: one more
        // pass for all columns, however many widened (a pass per column and widening made a
        // wide file cost rows x columns^2).
        Eigen::Index redo = 0;
        for (auto const& c : columns) redo = std::max(redo, c.redo());
        csv_scanner again(text_of, out.begin, 1);
        for (Eigen::Index r = 0; r < redo && again.next_record(); ++r)
            for (auto [n, more] = std::pair(std::size_t{0}, csv_scanner::cut::more);
                 more == csv_scanner::cut::more; ++n) {
                std::string_view cell;
                more = again.cell(cell);
                if (slot[n] == unread) continue;
                auto& column = columns[slot[n]];
                if (r < column.redo() && !column.put(r, cell, again.record_line()))
                    throw std::logic_error("stats::parse_csv: a widened column refused a cell");
            }
    };

    // Slices of the records, one per thread for large files, each typed whole on its own
    // thread (cutting the cells is half the work: both threads cutting every cell, as
    // before, was the floor). A slice starts after a line break outside quotes, found by
    // the parity of the quotes before it; a stray quote in an unquoted cell can mislead
    // that, and then the slice before ends inside a quoted cell, a syntax error: the file
    // is then read again as one slice, which says what is wrong, if anything.
    auto slices_for = [&](std::size_t parts) {
        std::vector<slice> out(1);
        out[0].begin = body;
        std::size_t quotes = 0, counted = body;
        for (std::size_t k = 1; k < parts; ++k) {
            auto target = body + (text.size() - body) * k / parts;
            if (target <= out.back().begin) continue;
            quotes += static_cast<std::size_t>(
                std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                           text.begin() + static_cast<std::ptrdiff_t>(target), '"'));
            counted = target;
            auto i = target;
            bool inside = quotes % 2 != 0;
            for (; i < text.size() && (inside || (text[i] != '\n' && text[i] != '\r')); ++i)
                if (text[i] == '"') inside = !inside;
            if (i < text.size() && text[i] == '\r') ++i;
            if (i < text.size() && text[i] == '\n') ++i;
            if (i >= text.size()) break;
            quotes += static_cast<std::size_t>(
                std::count(text.begin() + static_cast<std::ptrdiff_t>(target),
                           text.begin() + static_cast<std::ptrdiff_t>(i), '"'));
            counted = i;
            out.back().end = i;
            out.emplace_back().begin = i;
        }
        out.back().end = text.size();
        return out;
    };
    std::size_t const parts = std::clamp<std::size_t>((text.size() - body) / min_csv_slice_bytes, 1,
                                                      std::max(1u, opt.threads));
    auto slices = slices_for(parts);
    {
        std::vector<std::future<void>> others;
        for (std::size_t k = 1; k < slices.size(); ++k) {
            try {
                others.push_back(std::async(std::launch::async, scan, std::ref(slices[k])));
            } catch (std::system_error const&) {
                break;  // no thread to spare: the slice is typed here, below
            }
        }
        scan(slices[0]);
        for (auto& f : others) f.get();
        for (std::size_t k = 1 + others.size(); k < slices.size(); ++k) scan(slices[k]);
    }
    bool misread = false;
    for (std::size_t k = 0; k + 1 < slices.size(); ++k) misread |= slices[k].syntax.has_value();
    if (misread) {
        slices.clear();
        auto& whole = slices.emplace_back();
        whole.begin = body;
        whole.end = text.size();
        scan(whole);
    }
    {
        candor::errors widths;
        std::uint32_t before = body_line - 1;
        for (auto& sl : slices) {
            if (sl.syntax) {
                sl.syntax->where.line += before;
                return unexpected(candor::errors{*sl.syntax});
            }
            for (auto& e : sl.widths) {
                e.where.line += before;
                widths.push_back(std::move(e));
            }
            before += sl.lines;
        }
        if (errors.empty()) errors = std::move(widths);
    }
    if (!errors.empty()) return unexpected(std::move(errors));
    // Each column whole: the slices typed alike (a column inferred apart: integers and
    // numbers make numbers, any other mix labels), then appended to the first slice's.
    std::deque<detail::column_spec> retyped_specs;
    std::deque<typed_column> retyped;
    std::vector<std::vector<typed_column*>> typed(slices.size());
    for (std::size_t j = 0; j < specs.size(); ++j) {
        std::optional<column_kind> kind;
        for (auto const& sl : slices) {
            auto const& c = sl.columns[j];
            if (!c.any() || kind == c.kind()) continue;
            if (!kind) {
                kind = c.kind();
                continue;
            }
            bool numeric = (*kind == column_kind::scale || *kind == column_kind::number) &&
                           (c.kind() == column_kind::scale || c.kind() == column_kind::number);
            kind = numeric ? column_kind::number : column_kind::category;
        }
        for (std::size_t k = 0; k < slices.size(); ++k) {
            auto& sl = slices[k];
            typed[k].push_back(&sl.columns[j]);
            if (!kind || sl.columns[j].kind() == *kind) continue;
            // The cells of this slice again, typed as the whole column is.
            auto& spec = retyped_specs.emplace_back(specs[j]);
            spec.kind = kind;
            auto& again = retyped.emplace_back(spec, sl.rows, file);
            csv_scanner in(text.substr(0, sl.end), sl.begin, 1);
            for (Eigen::Index r = 0; r < sl.rows && in.next_record(); ++r)
                for (auto [n, more] = std::pair(std::size_t{0}, csv_scanner::cut::more);
                     more == csv_scanner::cut::more; ++n) {
                    std::string_view cell;
                    more = in.cell(cell);
                    if (slot[n] == j) again.put(r, cell, in.record_line());
                }
            typed[k].back() = &again;
        }
    }
    // Lines in a slice count from 1: the file's are further down by the lines before it.
    std::uint32_t before = body_line - 1;
    Eigen::Index rows = 0;
    for (std::size_t k = 0; k < slices.size(); ++k) {
        auto& sl = slices[k];
        for (std::size_t j = 0; j < specs.size(); ++j) {
            if (k == 0)
                typed[0][j]->append_lines(before);
            else
                typed[0][j]->append(std::move(*typed[k][j]), rows, sl.rows, before);
        }
        rows += sl.rows;
        before += sl.lines;
    }
    auto& first = typed[0];

    frame f;
    for (std::size_t j = 0; j < specs.size(); ++j)
        if (auto c = std::move(*first[j]).finish(rows, errors)) f.add(specs[j].name, std::move(*c));
    if (!errors.empty()) return unexpected(std::move(errors));
    return f;
}

result<frame> read_csv(std::string const& path, csv_options const& opt) {
    auto text = detail::read_file(path);
    if (!text) return unexpected(text.error());
    return parse_csv(*text, opt, path);
}

}  // namespace candor::stats
