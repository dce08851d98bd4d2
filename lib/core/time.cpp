#include "candor/detail/time-inl.hpp"
