#include "candor/seal/box.hpp"

#include <sodium.h>

#include "sodium_init.hpp"

namespace candor::seal {

static_assert(seal_overhead == crypto_box_SEALBYTES);

bytes seal_to(hq_public const& hq, byte_view plain) {
    detail::ensure_sodium();
    bytes out(plain.size() + crypto_box_SEALBYTES);
    crypto_box_seal(out.data(), plain.data(), plain.size(), hq.key.data());
    return out;
}

std::optional<bytes> open_sealed(hq_secret const& hq, byte_view sealed) {
    detail::ensure_sodium();
    if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
    bytes out(sealed.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), hq.pub.data(),
                             hq.key.data()) != 0)
        return std::nullopt;
    return out;
}

}  // namespace candor::seal
