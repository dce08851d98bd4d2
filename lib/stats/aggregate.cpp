#include "candor/stats/detail/aggregate-inl.hpp"
