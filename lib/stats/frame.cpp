#include "candor/stats/detail/frame-inl.hpp"
