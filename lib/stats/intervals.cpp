#include "candor/stats/detail/intervals-inl.hpp"
