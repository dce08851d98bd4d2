#include "candor/stats/detail/reliability-inl.hpp"
