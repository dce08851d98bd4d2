#include "candor/stats/detail/figures-inl.hpp"
