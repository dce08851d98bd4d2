// A columnar frame: one Eigen array per column, missing values explicit. Built once from
// responses or CSV, then scanned many times by the figures.
// Thread safety: a frame is a value; once built it may be read from many threads at once
// (const members only); add() needs the frame to itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <Eigen/Core>

#include "candor/error.hpp"

namespace candor::stats {

template <class T>
using column_array = Eigen::Array<T, Eigen::Dynamic, 1>;

// Missing sentinels: a skipped or hidden question is stored, not dropped, so every
// figure can count its own n.
inline constexpr std::int8_t missing_scale = std::numeric_limits<std::int8_t>::min();
inline constexpr std::int32_t missing_code = -1;
inline constexpr std::int64_t missing_time = std::numeric_limits<std::int64_t>::min();
inline constexpr std::uint64_t missing_set = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::size_t max_set_options = 63;  // one bit each; all ones is missing

// Answers on an integer scale (NPS, CSAT, CES, ratings), one byte each.
struct scale_column {
    column_array<std::int8_t> values;
    std::int8_t lo = 0;  // the scale's ends, from the survey or else the data
    std::int8_t hi = 0;
};

// The ends of the standard scales, as the survey language defines them.
struct scale_ends {
    std::int8_t lo = 0;
    std::int8_t hi = 0;
};
inline constexpr scale_ends nps_scale{0, 10};
inline constexpr scale_ends csat_scale{1, 5};
inline constexpr scale_ends ces_scale{1, 7};

// Decimal numbers; NaN is missing.
struct number_column {
    Eigen::ArrayXd values;
};

// Text with few distinct values (site, channel, language, a choice): codes into labels
// (each code below labels.size(), or missing_code).
struct category_column {
    column_array<std::int32_t> codes;
    std::vector<std::string> labels;
};

// A many-choice answer: bit k set when labels[k] was chosen.
struct set_column {
    column_array<std::uint64_t> sets;
    std::vector<std::string> labels;
};

// Unix seconds (UTC).
struct time_column {
    column_array<std::int64_t> seconds;
};

using column = std::variant<scale_column, number_column, category_column, set_column, time_column>;

enum class column_kind : std::uint8_t { scale, number, category, set, time };
std::string_view to_string(column_kind k) noexcept;
column_kind kind_of(column const& c) noexcept;
std::size_t rows_of(column const& c) noexcept;

class frame {
  public:
    std::size_t rows() const noexcept { return rows_; }
    std::size_t size() const noexcept { return columns_.size(); }
    std::vector<std::string> const& names() const noexcept { return names_; }
    column const& at(std::size_t i) const { return columns_.at(i); }

    // Every column has the same number of rows; a mismatch or a repeated name is a bug.
    void add(std::string name, column c);

    // By name, through a hash index: a frame of 100,000 columns is built and searched in
    // linear time.
    column const* find(std::string_view name) const noexcept;
    // The named column as kind C, or an "unknown-column" / "wrong-kind" error.
    template <class C>
    result<C const*> get(std::string_view name) const;

    // Bytes held by the column arrays (labels excluded).
    std::size_t memory_bytes() const noexcept;

  private:
    struct name_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::size_t rows_ = 0;
    std::vector<std::string> names_;
    std::vector<column> columns_;
    std::unordered_map<std::string, std::size_t, name_hash, std::equal_to<>> index_;
};

result<column const*> find_column(frame const& f, std::string_view name);

template <class C>
result<C const*> frame::get(std::string_view name) const {
    auto c = find_column(*this, name);
    if (!c) return unexpected(c.error());
    if (auto const* p = std::get_if<C>(*c)) return p;
    return fail("wrong-kind", "column '" + std::string(name) + "' is a " +
                                  std::string(to_string(kind_of(**c))) + " column, not a " +
                                  std::string(to_string(kind_of(column{C{}}))) + " column");
}

}  // namespace candor::stats

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/frame-inl.hpp"
#endif
