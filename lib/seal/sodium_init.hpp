// libsodium must be initialised once before use; every entry point of candor::seal calls
// this first, so callers never have to (and no thread reads what the first init changes
// while it runs). In a noexcept entry point a failure to initialise terminates: without
// libsodium nothing can be sealed, signed or checked.
#pragma once

namespace candor::seal::detail {
void ensure_sodium();
}
