#include "candor/detail/error-inl.hpp"
