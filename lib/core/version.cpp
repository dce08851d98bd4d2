#include "candor/version.hpp"

namespace candor {
char const* version() noexcept { return CANDOR_VERSION_STRING; }
}  // namespace candor
