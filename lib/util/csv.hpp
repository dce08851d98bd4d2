// The CSV dialect Candor writes and reads, in one place: RFC 4180 (quotes, "" escapes, line
// breaks in quoted cells; \r\n, \n or a bare \r ends a record), and a text cell that a
// spreadsheet would run as a formula written with a leading ' (OWASP's advice against CSV
// injection), which the reader takes off again. Header-only: response (writing) and stats
// (reading) both use it without linking this layer.
// Thread safety: csv_cell is a pure function; a csv_scanner is used by one thread at a time.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace candor::util {

// First characters that make a spreadsheet read a cell as a formula.
inline constexpr std::string_view formula_starts = "=+-@\t\r";

// One cell appended to `out`, quoted when needed; text starting with one of formula_starts
// is prefixed with '.
inline void append_csv_cell(std::string& out, std::string_view value) {
    bool const formula = !value.empty() && formula_starts.find(value[0]) != std::string_view::npos;
    // A loop, not find_first_of: libstdc++'s looks each byte up in the set with memchr.
    bool const quote = std::any_of(value.begin(), value.end(), [](char c) {
        return c == ',' || c == '"' || c == '\r' || c == '\n';
    });
    if (!quote) {
        if (formula) out += '\'';
        out += value;
        return;
    }
    out += formula ? "\"'" : "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

inline std::string csv_cell(std::string_view value) {
    std::string cell;
    append_csv_cell(cell, value);
    return cell;
}

// RFC 4180 cells cut from the text in place: a cell is a view into the text, copied only when
// it has "" escapes to undo, so a reader can type each view straight into its column.

class csv_scanner {
  public:
    enum class cut { more, last, bad };  // after a cell: another follows, the record ends, bad CSV

    explicit csv_scanner(std::string_view text, std::size_t from = 0, std::uint32_t line = 1)
        : text_(text), i_(from), line_(line) {}

    // Skips blank lines; false at the end of the text.
    bool next_record() noexcept {
        while (i_ < text_.size() && (text_[i_] == '\n' || text_[i_] == '\r')) {
            if (text_[i_] == '\n') ++line_;
            ++i_;
        }
        record_line_ = line_;
        return i_ < text_.size();
    }
    std::uint32_t record_line() const noexcept { return record_line_; }
    std::size_t offset() const noexcept { return i_; }
    std::uint32_t line() const noexcept { return line_; }

    // The next cell of the record, valid until the next call. A cell that csv_cell guarded
    // against spreadsheet formulas ('= '+ '- '@) gets its quote back off.
    cut cell(std::string_view& out) {
        if (i_ < text_.size() && text_[i_] == '"') {
            if (!quoted(out)) return cut::bad;
        } else {
            auto start = i_;
            i_ = cell_end(i_);
            out = text_.substr(start, i_ - start);
        }
        if (out.size() >= 2 && out[0] == '\'' &&
            formula_starts.find(out[1]) != std::string_view::npos)
            out.remove_prefix(1);
        if (i_ < text_.size() && text_[i_] == ',') {
            ++i_;
            return cut::more;
        }
        if (i_ < text_.size() && text_[i_] == '\r') ++i_;
        if (i_ < text_.size() && text_[i_] == '\n') {
            ++i_;
            ++line_;
        }
        return cut::last;
    }

    // After cut::bad: what is wrong, and on which line.
    std::string const& error() const noexcept { return error_; }
    std::uint32_t error_line() const noexcept { return error_line_; }

  private:
    // Where the unquoted cell from i ends: eight bytes at a time, as most cells are short.
    std::size_t cell_end(std::size_t i) const noexcept {
        if constexpr (std::endian::native == std::endian::little) {
            constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
            // High bit of each zero byte; above the first one there can be false hits.
            auto zeros = [](std::uint64_t w) { return (w - ones) & ~w & highs; };
            for (; i + 8 <= text_.size(); i += 8) {
                std::uint64_t w;
                std::memcpy(&w, text_.data() + i, 8);
                if (auto hit =
                        zeros(w ^ ones * ',') | zeros(w ^ ones * '\n') | zeros(w ^ ones * '\r'))
                    return i + static_cast<std::size_t>(std::countr_zero(hit)) / 8;
            }
        }
        while (i < text_.size() && text_[i] != ',' && text_[i] != '\n' && text_[i] != '\r') ++i;
        return i;
    }
    bool quoted(std::string_view& out) {
        auto open = line_;
        auto start = ++i_;
        bool escaped = false;
        for (;;) {
            auto q = text_.find('"', i_);
            if (q == std::string_view::npos) return fail(open, "a quoted cell is never closed");
            line_ += static_cast<std::uint32_t>(
                std::count(text_.begin() + static_cast<std::ptrdiff_t>(i_),
                           text_.begin() + static_cast<std::ptrdiff_t>(q), '\n'));
            i_ = q + 1;
            if (i_ < text_.size() && text_[i_] == '"') {
                escaped = true;
                ++i_;
                continue;
            }
            out = text_.substr(start, q - start);
            break;
        }
        if (escaped) {
            scratch_.clear();
            for (std::size_t k = 0; k < out.size(); ++k) {
                scratch_ += out[k];
                if (out[k] == '"') ++k;  // the second of ""
            }
            out = scratch_;
        }
        if (i_ < text_.size() && text_[i_] != ',' && text_[i_] != '\n' && text_[i_] != '\r')
            return fail(line_, "text after the closing quote of a cell");
        return true;
    }
    bool fail(std::uint32_t line, char const* message) {
        error_ = message;
        error_line_ = line;
        return false;
    }

    std::string_view text_;
    std::size_t i_;
    std::uint32_t line_;
    std::uint32_t record_line_ = 0;
    std::string scratch_;
    std::string error_;
    std::uint32_t error_line_ = 0;
};

}  // namespace candor::util
