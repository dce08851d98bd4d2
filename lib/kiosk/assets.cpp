#include "candor/kiosk/assets.hpp"

namespace candor::kiosk {

asset const* find_asset(std::string_view path) {
    for (auto const& a : page_assets())
        if (a.path == path) return &a;
    return nullptr;
}

}  // namespace candor::kiosk
