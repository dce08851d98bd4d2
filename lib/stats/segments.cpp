#include "candor/stats/detail/segments-inl.hpp"
