#include "candor/stats/detail/weighting-inl.hpp"
