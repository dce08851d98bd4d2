// The fixed little-endian layout of the bytes a device signs (records and heads), written
// by hand so that it never depends on an archive format.
#pragma once

#include <cstdint>
#include <optional>

#include "candor/seal/bytes.hpp"

namespace candor::journal::detail {

inline void put_le(seal::bytes& out, std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
inline void put_sized(seal::bytes& out, seal::byte_view b) {
    put_le(out, b.size(), 4);
    out.insert(out.end(), b.begin(), b.end());
}

// Reads the same layout back, refusing to run past the end.
class le_reader {
  public:
    explicit le_reader(seal::byte_view in) : in_(in) {}
    std::optional<std::uint64_t> le(int n) {
        if (in_.size() < static_cast<std::size_t>(n)) return std::nullopt;
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(in_[i]) << (8 * i);
        in_ = in_.subspan(static_cast<std::size_t>(n));
        return v;
    }
    std::optional<seal::byte_view> take(std::size_t n) {
        if (in_.size() < n) return std::nullopt;
        auto out = in_.first(n);
        in_ = in_.subspan(n);
        return out;
    }
    bool at_end() const noexcept { return in_.empty(); }

  private:
    seal::byte_view in_;
};

}  // namespace candor::journal::detail
