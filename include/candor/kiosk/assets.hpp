// The page's files (page/), compiled into the kiosk so it serves everything itself: no
// external assets, nothing to install beside the binary.
#pragma once

#include <span>
#include <string_view>

namespace candor::kiosk {

struct asset {
    std::string_view path;  // as requested, e.g. "/kiosk.js"; index.html is "/"
    std::string_view type;  // Content-Type
    std::string_view body;
};

// Generated at build time from page/ (embed_assets.cmake).
std::span<asset const> page_assets();

asset const* find_asset(std::string_view path);

}  // namespace candor::kiosk
