// g++ 12 reports a false maybe-uninitialized inside Eigen's eigen-solver, at code
// generation, so it is silenced for the whole file.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "candor/stats/detail/drivers-inl.hpp"
