// libsodium must be initialised once before use; every entry point of candor::seal calls
// this first, so callers never have to.
#pragma once

namespace candor::seal::detail {
void ensure_sodium();
}
