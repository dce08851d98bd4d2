#include "candor/interop/import.hpp"
