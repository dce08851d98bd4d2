#include "candor/stats/detail/quality-inl.hpp"
