// Definitions of frame.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include <stdexcept>

#include "candor/stats/frame.hpp"

namespace candor::stats {

CANDOR_INLINE std::string_view to_string(column_kind k) noexcept {
    switch (k) {
        case column_kind::scale:
            return "scale";
        case column_kind::number:
            return "number";
        case column_kind::category:
            return "category";
        case column_kind::set:
            return "set";
        case column_kind::time:
            return "time";
    }
    return "?";
}

CANDOR_INLINE column_kind kind_of(column const& c) noexcept {
    return static_cast<column_kind>(c.index());
}

CANDOR_INLINE std::size_t rows_of(column const& c) noexcept {
    return std::visit(
        [](auto const& col) -> std::size_t {
            using C = std::decay_t<decltype(col)>;
            if constexpr (std::is_same_v<C, scale_column> || std::is_same_v<C, number_column>)
                return static_cast<std::size_t>(col.values.size());
            else if constexpr (std::is_same_v<C, category_column>)
                return static_cast<std::size_t>(col.codes.size());
            else if constexpr (std::is_same_v<C, set_column>)
                return static_cast<std::size_t>(col.sets.size());
            else
                return static_cast<std::size_t>(col.seconds.size());
        },
        c);
}

CANDOR_INLINE void frame::add(std::string name, column c) {
    std::size_t n = rows_of(c);
    if (!columns_.empty() && n != rows_)
        throw std::invalid_argument("stats::frame: column '" + name + "' has " + std::to_string(n) +
                                    " rows, the frame " + std::to_string(rows_));
    if (!index_.emplace(name, columns_.size()).second)
        throw std::invalid_argument("stats::frame: two columns named '" + name + "'");
    rows_ = n;
    names_.push_back(std::move(name));
    columns_.push_back(std::move(c));
}

CANDOR_INLINE column const* frame::find(std::string_view name) const noexcept {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &columns_[it->second];
}

CANDOR_INLINE std::size_t frame::memory_bytes() const noexcept {
    std::size_t bytes = 0;
    for (auto const& c : columns_)
        bytes += std::visit(
            [](auto const& col) -> std::size_t {
                using C = std::decay_t<decltype(col)>;
                if constexpr (std::is_same_v<C, scale_column> || std::is_same_v<C, number_column>)
                    return static_cast<std::size_t>(col.values.size()) * sizeof(col.values[0]);
                else if constexpr (std::is_same_v<C, category_column>)
                    return static_cast<std::size_t>(col.codes.size()) * sizeof(std::int32_t);
                else if constexpr (std::is_same_v<C, set_column>)
                    return static_cast<std::size_t>(col.sets.size()) * sizeof(std::uint64_t);
                else
                    return static_cast<std::size_t>(col.seconds.size()) * sizeof(std::int64_t);
            },
            c);
    return bytes;
}

CANDOR_INLINE result<column const*> find_column(frame const& f, std::string_view name) {
    if (auto const* c = f.find(name)) return c;
    return fail("unknown-column", "no column named '" + std::string(name) + "'");
}

}  // namespace candor::stats
